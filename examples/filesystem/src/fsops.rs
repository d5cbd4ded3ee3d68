// The filesystem operations behind the exported functions. Every path goes through WASI preview1 (Rust std ->
// wasi-libc -> the preview1 adapter -> wasi:filesystem), so the host's sandbox decides what is reachable.
use crate::glob;
use std::fs;
use std::io::{self, ErrorKind, Read};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

pub const MAX_FILE: u64 = 1 << 20;
const MAX_LIST: usize = 10_000;
const MAX_RESULTS: usize = 1_000;
const MAX_DEPTH: usize = 32;
const MAX_VISITED: usize = 100_000;
const MAX_LINE: usize = 200;

#[derive(Clone, Copy)]
pub enum Kind {
    File = 0,
    Directory = 1,
    Symlink = 2,
    Other = 3,
}

pub struct Entry {
    pub name: String,
    pub kind: Kind,
    pub size: u64,
}

pub struct Info {
    pub kind: Kind,
    pub size: u64,
    pub modified: u64,
}

pub struct Hit {
    pub path: String,
    pub line: u32,
    pub text: String,
}

fn kind_of(ft: fs::FileType) -> Kind {
    if ft.is_symlink() {
        Kind::Symlink
    } else if ft.is_dir() {
        Kind::Directory
    } else if ft.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

/// An absolute path, or an error telling the agent what to pass instead.
fn absolute(path: &str) -> Result<&Path, String> {
    if path.is_empty() || !path.starts_with('/') {
        return Err(format!("{:?} is not an absolute path: pass a path inside one of allowed-directories", path));
    }
    Ok(Path::new(path))
}

/// A directory to walk or list: an absolute path, and not the sandbox's root unless `/` itself is granted. The root
/// is a deny-by-default view that lists as empty; saying which directories are readable is what the agent needs.
fn directory(path: &str) -> Result<&Path, String> {
    let dir = absolute(path)?;
    let only_root = dir.components().all(|c| matches!(c, Component::RootDir | Component::CurDir));
    if !only_root || root_is_granted() {
        return Ok(dir);
    }
    let granted = allowed_directories();
    if granted.is_empty() {
        return Err("/ is not readable and no directory has been granted yet: the user can grant one with grant_storage_permission".to_string());
    }
    Err(format!("/ is not a granted directory; the granted ones are: {} (allowed-directories lists them)", granted.join(", ")))
}

/// An I/O error as a sentence; a refusal says how to get access.
fn describe(path: &Path, e: io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => format!(
            "{}: access denied: it is outside the directories the user has granted (see allowed-directories; the user can grant it with grant_storage_permission)",
            path.display()
        ),
        ErrorKind::NotFound => format!("{}: no such file or directory", path.display()),
        _ => format!("{}: {}", path.display(), e),
    }
}

/// Whether `/` is the user's grant of the whole filesystem rather than the host's deny-by-default root view, which is
/// preopened as `/` too but lists nothing (a real root always has entries).
fn root_is_granted() -> bool {
    fs::read_dir("/").map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// The preopened directories the host gave this instance, as WASI preview1 lists them.
pub fn allowed_directories() -> Vec<String> {
    let root = root_is_granted();
    crate::preopens::list().into_iter().filter(|d| d != "." && (d != "/" || root)).collect()
}

pub fn list_directory(path: &str) -> Result<Vec<Entry>, String> {
    let dir = directory(path)?;
    let mut out = Vec::new();
    for item in fs::read_dir(dir).map_err(|e| describe(dir, e))? {
        let item = item.map_err(|e| describe(dir, e))?;
        if out.len() >= MAX_LIST {
            return Err(format!("{} has more than {} entries", dir.display(), MAX_LIST));
        }
        let meta = item.metadata().map_err(|e| describe(&item.path(), e))?;
        let kind = kind_of(meta.file_type());
        let size = if meta.is_dir() { 0 } else { meta.len() };
        out.push(Entry { name: item.file_name().to_string_lossy().into_owned(), kind, size });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Reads a UTF-8 file of at most `MAX_FILE` bytes (checked while reading, so a growing file cannot get past it).
fn read_text(path: &Path) -> Result<String, String> {
    let file = fs::File::open(path).map_err(|e| describe(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).map_err(|e| describe(path, e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!("{} is larger than 1 MiB", path.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("{} is not a UTF-8 text file", path.display()))
}

pub fn read_file(path: &str) -> Result<String, String> {
    let p = absolute(path)?;
    let meta = fs::metadata(p).map_err(|e| describe(p, e))?;
    if meta.is_dir() {
        return Err(format!("{} is a directory: use list-directory", p.display()));
    }
    read_text(p)
}

pub fn get_file_info(path: &str) -> Result<Info, String> {
    let p = absolute(path)?;
    let meta = fs::symlink_metadata(p).map_err(|e| describe(p, e))?;
    let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs()).unwrap_or(0);
    Ok(Info { kind: kind_of(meta.file_type()), size: meta.len(), modified })
}

/// Walks `root` depth first in name order without following symbolic links, calling `visit` with each entry's
/// absolute path, its path relative to `root`, and its kind. `visit` returns false to stop.
fn walk(root: &Path, visit: &mut dyn FnMut(&Path, &str, Kind) -> Result<bool, String>) -> Result<(), String> {
    let meta = fs::metadata(root).map_err(|e| describe(root, e))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a directory", root.display()));
    }
    let mut visited = 0usize;
    let mut stack: Vec<(PathBuf, String, usize)> = vec![(root.to_path_buf(), String::new(), 0)];
    while let Some((dir, rel, depth)) = stack.pop() {
        let mut items: Vec<(String, Kind)> = Vec::new();
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            // A subdirectory the sandbox or the host refuses is skipped; the root's own refusal was reported above.
            Err(_) if depth > 0 => continue,
            Err(e) => return Err(describe(&dir, e)),
        };
        for item in rd.flatten() {
            let kind = item.file_type().map(kind_of).unwrap_or(Kind::Other);
            items.push((item.file_name().to_string_lossy().into_owned(), kind));
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let mut subdirs = Vec::new();
        for (name, kind) in items {
            visited += 1;
            if visited > MAX_VISITED {
                return Err(format!("more than {} entries under {}; search a smaller directory", MAX_VISITED, root.display()));
            }
            let path = dir.join(&name);
            let child_rel = if rel.is_empty() { name.clone() } else { format!("{}/{}", rel, name) };
            if !visit(&path, &child_rel, kind)? {
                return Ok(());
            }
            if let Kind::Directory = kind {
                if depth + 1 < MAX_DEPTH {
                    subdirs.push((path, child_rel, depth + 1));
                }
            }
        }
        // Reversed so the stack pops them in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

pub fn find_files(path: &str, pattern: &str) -> Result<Vec<String>, String> {
    let root = directory(path)?;
    if pattern.is_empty() {
        return Err("pattern is empty: use e.g. `*.md`".to_string());
    }
    let on_path = pattern.contains('/');
    let mut out = Vec::new();
    walk(root, &mut |abs, rel, _| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if glob::matches(pattern, if on_path { rel } else { name }) {
            out.push(abs.display().to_string());
        }
        Ok(out.len() < MAX_RESULTS)
    })?;
    out.sort();
    Ok(out)
}

pub fn search_files(path: &str, text: &str) -> Result<Vec<Hit>, String> {
    let root = directory(path)?;
    if text.is_empty() {
        return Err("text is empty: give the text to look for".to_string());
    }
    let mut hits = Vec::new();
    walk(root, &mut |abs, _, kind| {
        if let Kind::File = kind {
            // Unreadable, large or binary files are skipped, as grep -I would.
            if let Ok(content) = read_text(abs) {
                for (i, line) in content.lines().enumerate() {
                    if line.contains(text) {
                        hits.push(Hit { path: abs.display().to_string(), line: (i + 1) as u32, text: line.chars().take(MAX_LINE).collect() });
                        if hits.len() >= MAX_RESULTS {
                            return Ok(false);
                        }
                    }
                }
            }
        }
        Ok(true)
    })?;
    // The walk visits a directory's files before its subdirectories; report in path order.
    hits.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    Ok(hits)
}
