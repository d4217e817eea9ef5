//! What the README checks read: fenced code blocks, shell-style command lines, expected output with
//! placeholders, and the links of a Markdown file.

use std::path::Path;

/// One fenced code block.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The language: the info string up to its first comma or space (`rust` of `rust,no_run`).
    pub lang: String,
    /// Line of the opening fence (1-based), for messages.
    pub line: usize,
    pub body: Vec<String>,
}

/// Every fenced block of a Markdown text (``` fences at the start of a line).
pub fn fences(md: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<Fence> = None;
    for (i, line) in md.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                let lang = info.split([',', ' ']).next().unwrap_or("").trim();
                open = Some(Fence {
                    lang: lang.to_owned(),
                    line: i + 1,
                    body: Vec::new(),
                });
            }
            (Some(_), Some(rest)) if rest.trim().is_empty() => out.extend(open.take()),
            (Some(f), _) => f.body.push(line.to_owned()),
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code fence: {open:?}");
    out
}

/// A shell token: a word (quotes removed, variables expanded) or an operator (`|`, `||`, `&&`, `;`, `&`,
/// `>`, `>>`, `<`).
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(String),
    Op(String),
}

/// Split one command line as a POSIX shell would (quotes, backslashes, `$NAME`/`${NAME}` through `var`,
/// operators, a `#` comment at the start of a word).
pub fn tokenize(line: &str, var: &dyn Fn(&str) -> String) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut cs = line.chars().peekable();
    let expand = |cs: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Result<String, String> {
        let mut name = String::new();
        if cs.peek() == Some(&'{') {
            cs.next();
            for c in cs.by_ref() {
                if c == '}' {
                    return Ok(var(&name));
                }
                name.push(c);
            }
            return Err(format!("unclosed ${{ in {line:?}"));
        }
        while let Some(&c) = cs
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || **c == '_')
        {
            name.push(c);
            cs.next();
        }
        if name.is_empty() {
            return Err(format!("a lone $ in {line:?}"));
        }
        Ok(var(&name))
    };
    while let Some(c) = cs.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match cs.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(format!("unclosed ' in {line:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match cs.next() {
                        Some('"') => break,
                        Some('\\') => match cs.next() {
                            Some(c @ ('"' | '\\' | '$')) => word.push(c),
                            Some(c) => word.extend(['\\', c]),
                            None => return Err(format!("unclosed \" in {line:?}")),
                        },
                        Some('$') => word.push_str(&expand(&mut cs)?),
                        Some(c) => word.push(c),
                        None => return Err(format!("unclosed \" in {line:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(cs.next());
            }
            '$' => {
                in_word = true;
                word.push_str(&expand(&mut cs)?);
            }
            '|' | '&' | ';' | '>' | '<' => {
                if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
                let mut op = c.to_string();
                if let Some(&n) = cs.peek()
                    && matches!((c, n), ('|', '|') | ('&', '&') | ('>', '>'))
                {
                    op.push(n);
                    cs.next();
                }
                toks.push(Tok::Op(op));
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        toks.push(Tok::Word(word));
    }
    Ok(toks)
}

/// One simple command of a command line, with its redirections and the operator before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimpleCmd {
    pub argv: Vec<String>,
    pub stdin: Option<String>,
    pub stdout: Option<String>,
    /// `|`, `||`, `&&` or `;` before it (None for the first).
    pub after: Option<String>,
}

/// The simple commands of a tokenized line (empty for a comment-only line).
pub fn commands(toks: &[Tok]) -> Result<Vec<SimpleCmd>, String> {
    let mut out = Vec::new();
    let mut cur = SimpleCmd::default();
    let mut it = toks.iter();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => cur.argv.push(w.clone()),
            Tok::Op(op) if matches!(op.as_str(), ">" | ">>" | "<") => {
                let Some(Tok::Word(target)) = it.next() else {
                    return Err(format!("{op} without a file"));
                };
                let slot = if op == "<" {
                    &mut cur.stdin
                } else {
                    &mut cur.stdout
                };
                *slot = Some(target.clone());
            }
            Tok::Op(op) => {
                if cur.argv.is_empty() {
                    return Err(format!("{op} without a command before it"));
                }
                out.push(std::mem::take(&mut cur));
                cur.after = Some(op.clone());
            }
        }
    }
    if !cur.argv.is_empty() {
        out.push(cur);
    } else if cur.after.is_some() {
        return Err("a command line ends with an operator".into());
    }
    Ok(out)
}

/// Whether `actual` is what `pattern` shows: equal, where each `…` of the pattern stands for one or more
/// characters other than white space.
pub fn matches(pattern: &str, actual: &str) -> bool {
    match pattern.strip_prefix('…') {
        Some(rest) => actual
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(actual.len()))
            .take_while(|&i| i > 0 && !actual[..i].contains(char::is_whitespace))
            .any(|i| matches(rest, &actual[i..])),
        None => match (pattern.chars().next(), actual.chars().next()) {
            (None, None) => true,
            (Some(p), Some(a)) if p == a => {
                matches(&pattern[p.len_utf8()..], &actual[a.len_utf8()..])
            }
            _ => false,
        },
    }
}

/// Every ISO 8601 UTC time (`2026-05-01T10:02:11Z`) replaced with `<time>`, so outputs compare.
pub fn mask_times(s: &str) -> String {
    let shape = |w: &[u8]| {
        w.len() == 20
            && w.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                19 => *b == b'Z',
                _ => b.is_ascii_digit(),
            })
    };
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if i + 20 <= b.len() && shape(&b[i..i + 20]) {
            out.push_str("<time>");
            i += 20;
        } else {
            let c = s[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// The relative link targets of a Markdown text (`[text](target)`), anchors cut off.
pub fn relative_links(md: &str) -> Vec<String> {
    md.match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &md[i + 2..];
            let target = &rest[..rest.find(')')?];
            let target = target.split('#').next().unwrap_or("");
            let external = ["http://", "https://", "mailto:"]
                .iter()
                .any(|p| target.starts_with(p));
            (!external && !target.is_empty()).then(|| target.to_owned())
        })
        .collect()
}

/// Inline code spans that name a file or folder of the repository (`core/src/x.rs`, `CONTRACT.md`,
/// `tests/it/`).
pub fn path_spans(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            let pathish = span
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c));
            let named = [".rs", ".md", ".toml"].iter().any(|e| span.ends_with(e))
                || (span.ends_with('/') && span.len() > 1);
            if i % 2 == 1 && pathish && named && !span.starts_with('.') {
                out.push(span.to_owned());
            }
        }
    }
    out
}

/// Links and path spans of the Markdown file `md` (read from `file`) that name nothing on disk: links are
/// relative to the file's folder; a path span may also be relative to the repository root.
pub fn broken_paths(file: &Path, md: &str, root: &Path) -> Vec<String> {
    let dir = file.parent().unwrap();
    let mut bad: Vec<String> = relative_links(md)
        .into_iter()
        .filter(|l| !dir.join(l).exists())
        .map(|l| format!("link ({l})"))
        .collect();
    bad.extend(
        path_spans(md)
            .into_iter()
            .filter(|p| !dir.join(p).exists() && !root.join(p).exists())
            .map(|p| format!("path `{p}`")),
    );
    bad
}

#[test]
fn the_readers_read_what_a_shell_and_a_reader_would() {
    let var = |n: &str| format!("<{n}>");
    let toks = tokenize(
        r#"*/1 clickairtime a "b c" 'd $E' $F "${G}h" >/dev/null || mail -s "x y" z # c"#,
        &var,
    )
    .unwrap();
    let cmds = commands(&toks[1..]).unwrap();
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        cmds[0].argv,
        ["clickairtime", "a", "b c", "d $E", "<F>", "<G>h"]
    );
    assert_eq!(cmds[0].stdout.as_deref(), Some("/dev/null"));
    assert_eq!(cmds[1].argv, ["mail", "-s", "x y", "z"]);
    assert_eq!(cmds[1].after.as_deref(), Some("||"));
    let cmds = commands(&tokenize("a - < body.json", &var).unwrap()).unwrap();
    assert_eq!(
        (cmds[0].argv.len(), cmds[0].stdin.as_deref()),
        (2, Some("body.json"))
    );
    assert!(tokenize("   # only a comment", &var).unwrap().is_empty());
    assert!(tokenize("a 'b", &var).is_err());
    assert!(commands(&tokenize("a ||", &var).unwrap()).is_err());
    assert!(matches("KEY=ce_live_…", "KEY=ce_live_abc"));
    assert!(!matches("KEY=ce_live_…", "KEY=ce_live_"));
    assert!(matches("(top-up …) done", "(top-up 5b8b-14f1) done"));
    assert!(!matches("(top-up …)", "(top-up a b)"));
    assert!(!matches("a", "ab"));
    assert_eq!(mask_times("at 2026-05-01T10:02:11Z."), "at <time>.");
    assert_eq!(
        relative_links("[a](../x.md#top) [b](https://e.org) [c](#here)"),
        ["../x.md"]
    );
    assert_eq!(
        path_spans("`core/src/a.rs` `--x` `tests/it/` `a b.md`"),
        ["core/src/a.rs", "tests/it/"]
    );
}
