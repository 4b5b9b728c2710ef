//! The sources a declared derived atom's read function names where `atom!` can see them: the
//! `s.get(&X)` and `s.with(&X, …)` calls (`s` the closure's parameter, `X` a path to a `static`, in
//! capitals) that run whatever the values, that is those before the first branch, loop, early exit or
//! closure. The runtime brings them up to date before the read function runs (a hint, never a promise:
//! what the read function reads is still what is recorded), so a first read of a declared chain nests
//! nothing on the call stack.

use std::collections::HashSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{Expr, Pat};

/// The hinted sources of `read`, in the order they are read: empty when `read` is not a closure with a
/// plain first parameter, or reads nothing visible.
pub(crate) fn hints(read: &Expr) -> Vec<TokenStream> {
    let Expr::Closure(closure) = read else { return Vec::new() };
    let Some(Pat::Ident(reader)) = closure.inputs.first() else { return Vec::new() };
    let body = quote::ToTokens::to_token_stream(&*closure.body);
    let mut scan = Scan { reader: reader.ident.to_string(), bound: bound_names(&body), found: Vec::new() };
    scan.stream(body);
    scan.found
}

struct Scan {
    reader: String,
    /// Names bound inside the body (`let`, closure parameters): a capitalised local is no `static`.
    bound: HashSet<String>,
    found: Vec<TokenStream>,
}

impl Scan {
    /// Scans `tokens` in order; `false` once a read may no longer run whatever the values.
    fn stream(&mut self, tokens: TokenStream) -> bool {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Ident(id) => {
                    let word = id.to_string();
                    if matches!(
                        word.as_str(),
                        "if" | "match" | "while" | "for" | "loop" | "return" | "break" | "continue" | "else"
                    ) {
                        return false;
                    }
                    if word == self.reader {
                        if let Some(source) = self.read_at(&tokens[i..]) {
                            if !self.found.iter().any(|f| f.to_string() == source.to_string()) {
                                self.found.push(source);
                            }
                        }
                    }
                }
                TokenTree::Punct(p) if matches!(p.as_char(), '?' | '|') => return false,
                TokenTree::Punct(p) if p.as_char() == '&' && p.spacing() == proc_macro2::Spacing::Joint => {
                    // `&&`: the right side may not run.
                    if matches!(tokens.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '&') {
                        return false;
                    }
                }
                TokenTree::Group(g) => {
                    if !self.stream(g.stream()) {
                        return false;
                    }
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
            i += 1;
        }
        true
    }

    /// `s . get ( & PATH )` or `s . with ( & PATH , …`: `PATH`.
    fn read_at(&self, tokens: &[TokenTree]) -> Option<TokenStream> {
        let [_, TokenTree::Punct(dot), TokenTree::Ident(method), TokenTree::Group(args), ..] = tokens else {
            return None;
        };
        if dot.as_char() != '.' || args.delimiter() != Delimiter::Parenthesis {
            return None;
        }
        let method = method.to_string();
        if method != "get" && method != "with" {
            return None;
        }
        let inner: Vec<TokenTree> = args.stream().into_iter().collect();
        let (TokenTree::Punct(amp), rest) = inner.split_first()? else { return None };
        if amp.as_char() != '&' {
            return None;
        }
        // The path: idents separated by `::`, up to the end (`get`) or a comma (`with`).
        let end = rest
            .iter()
            .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
            .unwrap_or(rest.len());
        if method == "with" && end == rest.len() {
            return None;
        }
        let path = &rest[..end];
        let mut idents = Vec::new();
        let mut expect_ident = true;
        let mut colons = 0;
        for t in path {
            match t {
                TokenTree::Ident(id) if expect_ident => {
                    idents.push(id.to_string());
                    expect_ident = false;
                }
                TokenTree::Punct(p) if p.as_char() == ':' && !expect_ident => {
                    colons += 1;
                    if colons == 2 {
                        colons = 0;
                        expect_ident = true;
                    }
                }
                _ => return None,
            }
        }
        let last = idents.last()?;
        let is_static = last.chars().any(|c| c.is_ascii_uppercase())
            && last.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if expect_ident || colons != 0 || !is_static || (idents.len() == 1 && self.bound.contains(last)) {
            return None;
        }
        Some(path.iter().cloned().collect())
    }
}

/// Every identifier bound in `body` by `let` (its pattern, up to `=`, `;` or its type), `for`, as a
/// closure parameter, or declared there as a `static` or `const`.
fn bound_names(body: &TokenStream) -> HashSet<String> {
    fn walk(tokens: TokenStream, bound: &mut HashSet<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                // (`static`/`const`: an item declared inside the body is not in scope beside it.)
                TokenTree::Ident(id) if id == "let" || id == "for" || id == "static" || id == "const" => {
                    i += 1;
                    while let Some(t) = tokens.get(i) {
                        match t {
                            TokenTree::Punct(p) if matches!(p.as_char(), '=' | ';' | ':') => break,
                            TokenTree::Ident(id) if id == "in" => break,
                            _ => collect(t, bound),
                        }
                        i += 1;
                    }
                    continue;
                }
                TokenTree::Punct(p) if p.as_char() == '|' => {
                    i += 1;
                    while let Some(t) = tokens.get(i) {
                        if matches!(t, TokenTree::Punct(p) if p.as_char() == '|') {
                            break;
                        }
                        collect(t, bound);
                        i += 1;
                    }
                }
                TokenTree::Group(g) => walk(g.stream(), bound),
                _ => {}
            }
            i += 1;
        }
    }
    fn collect(t: &TokenTree, bound: &mut HashSet<String>) {
        match t {
            TokenTree::Ident(id) => {
                bound.insert(id.to_string());
            }
            TokenTree::Group(g) => g.stream().into_iter().for_each(|t| collect(&t, bound)),
            _ => {}
        }
    }
    let mut bound = HashSet::new();
    walk(body.clone(), &mut bound);
    bound
}

#[cfg(test)]
mod tests {
    use super::hints;

    fn names(read: &str) -> Vec<String> {
        let read: syn::Expr = syn::parse_str(read).expect("an expression");
        hints(&read).iter().map(|t| t.to_string().replace(' ', "")).collect()
    }

    #[test]
    fn reads_before_any_branch() {
        assert_eq!(names("|s| s.get(&A) + s.get(&app::B)"), ["A", "app::B"]);
        assert_eq!(names("|s| { let x = s.get(&A); s.with(&B, |v| v.len()) + x }"), ["A", "B"]);
        assert_eq!(names("|s| if s.get(&FLAG) { s.get(&A) } else { 0 }"), Vec::<String>::new());
        assert_eq!(names("|s| s.get(&FLAG) && s.get(&A)"), ["FLAG"]);
        assert_eq!(names("|r| r.get(&A) + s.get(&B)"), ["A"]);
        assert_eq!(names("|s| s.get(&A) + s.get(&A)"), ["A"]);
    }

    #[test]
    fn not_statics() {
        assert_eq!(names("|s| s.get(&TODO.at(3))"), Vec::<String>::new());
        assert_eq!(names("|s| s.get(&local)"), Vec::<String>::new());
        assert_eq!(names("|s| { let X = &A; s.get(&X) }"), Vec::<String>::new());
        assert_eq!(names("|s| { static Y: u8 = 0; s.get(&Y) + s.get(&Z) }"), ["Z"]);
        assert_eq!(names("|s| { let (A, b): (u8, u8) = (1, 2); s.get(&A) + s.get(&U8) }"), ["U8"]);
        assert_eq!(names("fn_name"), Vec::<String>::new());
        assert_eq!(names("|s| s.get(A)"), Vec::<String>::new());
    }
}
