// Glob matching for find-files: `*`, `?`, `[set]` within one path segment, and `**` across segments.

/// Matches `text` against `pattern`. `*` and `?` never match `/`; `**` matches any run including `/`
/// (and `**/` also matches nothing, so `a/**/b` matches `a/b`).
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_at(&p, &t)
}

fn match_at(p: &[char], t: &[char]) -> bool {
    // Iterative backtracking for the last `*` keeps ordinary patterns linear; `**` recurses once per position.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() || pi < p.len() {
        if pi < p.len() {
            match p[pi] {
                '*' if pi + 1 < p.len() && p[pi + 1] == '*' => {
                    let mut rest = pi + 2;
                    if rest < p.len() && p[rest] == '/' {
                        rest += 1;
                    }
                    return (ti..=t.len()).any(|k| match_at(&p[rest..], &t[k..]));
                }
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' if ti < t.len() && t[ti] != '/' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' if ti < t.len() => {
                    if let Some((ok, next)) = class(p, pi, t[ti]) {
                        if ok {
                            pi = next;
                            ti += 1;
                            continue;
                        }
                    } else if t[ti] == '[' {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                }
                c if ti < t.len() && c == t[ti] && c != '*' && c != '?' && c != '[' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) if st < t.len() && t[st] != '/' => {
                star = Some((sp, st + 1));
                pi = sp + 1;
                ti = st + 1;
            }
            _ => return false,
        }
    }
    true
}

/// Reads the class starting at `p[start] == '['`; returns whether `c` is in it and the index after `]`,
/// or None when the class is not closed (then `[` is literal).
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = i < p.len() && (p[i] == '!' || p[i] == '^');
    if negate {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    while i < p.len() && (first || p[i] != ']') {
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                found = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                found = true;
            }
            i += 1;
        }
    }
    if i >= p.len() {
        return None;
    }
    Some((found != negate && c != '/', i + 1))
}
