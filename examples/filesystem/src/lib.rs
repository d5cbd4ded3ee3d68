// The filesystem example component: a wasm32-wasi core module whose `extern "C"` exports implement the WIT world
// with the canonical ABI by hand (Rust 1.63 from Debian, no crates). Strings and lists are (pointer, length) pairs;
// results are laid out in return areas that live until the next call.
mod fsops;
mod glob;
mod preopens;

use std::alloc::{alloc, dealloc, realloc, Layout};

extern "C" {
    fn __wasm_call_ctors();
}

/// Defined so the linker treats the module as a reactor (constructors once) instead of wrapping every export
/// in constructor and destructor calls; the component runs it before the first call.
#[no_mangle]
pub unsafe extern "C" fn _initialize() {
    __wasm_call_ctors();
}

#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    let p = if old.is_null() {
        alloc(Layout::from_size_align_unchecked(new_size, align))
    } else {
        realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size)
    };
    if p.is_null() {
        std::process::abort();
    }
    p
}

/// Result memory of the last call, freed when the next call starts (the host has lifted it by then).
static mut KEPT: Vec<(*mut u8, Layout)> = Vec::new();

unsafe fn begin_call() {
    for (p, layout) in KEPT.drain(..) {
        dealloc(p, layout);
    }
}

struct Area(*mut u8);

unsafe fn area(size: usize) -> Area {
    if size == 0 {
        return Area(8 as *mut u8);
    }
    let layout = Layout::from_size_align_unchecked(size, 8);
    let p = alloc(layout);
    if p.is_null() {
        std::process::abort();
    }
    std::ptr::write_bytes(p, 0, size);
    KEPT.push((p, layout));
    Area(p)
}

impl Area {
    fn addr(&self) -> u32 {
        self.0 as u32
    }
    unsafe fn u8(&self, off: usize, v: u8) {
        *self.0.add(off) = v;
    }
    unsafe fn u32(&self, off: usize, v: u32) {
        (self.0.add(off) as *mut u32).write_unaligned(v);
    }
    unsafe fn u64(&self, off: usize, v: u64) {
        (self.0.add(off) as *mut u64).write_unaligned(v);
    }
    unsafe fn str(&self, off: usize, s: &str) {
        let bytes = area(s.len());
        std::ptr::copy_nonoverlapping(s.as_ptr(), bytes.0, s.len());
        self.u32(off, bytes.addr());
        self.u32(off + 4, s.len() as u32);
    }
    /// A list of `n` elements of `size` bytes at `off`; returns the element block.
    unsafe fn list(&self, off: usize, n: usize, size: usize) -> Area {
        let items = area(n * size);
        self.u32(off, items.addr());
        self.u32(off + 4, n as u32);
        items
    }
}

unsafe fn arg(ptr: *const u8, len: usize) -> String {
    let bytes = std::slice::from_raw_parts(ptr, len).to_vec();
    // The host passes the arguments' memory to the callee; it was allocated with cabi_realloc.
    if len > 0 {
        dealloc(ptr as *mut u8, Layout::from_size_align_unchecked(len, 1));
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// result<T, string> whose payload starts at `off`: the error case.
unsafe fn err(off: usize, size: usize, msg: &str) -> *mut u8 {
    let r = area(size);
    r.u8(0, 1);
    r.str(off, msg);
    r.0
}

#[export_name = "allowed-directories"]
pub unsafe extern "C" fn allowed_directories() -> *mut u8 {
    begin_call();
    let dirs = fsops::allowed_directories();
    let r = area(8);
    let items = r.list(0, dirs.len(), 8);
    for (i, d) in dirs.iter().enumerate() {
        items.str(8 * i, d);
    }
    r.0
}

// entry: name @0, kind @8, size @16 (24 bytes, align 8).
#[export_name = "list-directory"]
pub unsafe extern "C" fn list_directory(ptr: *const u8, len: usize) -> *mut u8 {
    begin_call();
    match fsops::list_directory(&arg(ptr, len)) {
        Err(e) => err(4, 12, &e),
        Ok(entries) => {
            let r = area(12);
            let items = r.list(4, entries.len(), 24);
            for (i, e) in entries.iter().enumerate() {
                items.str(24 * i, &e.name);
                items.u8(24 * i + 8, e.kind as u8);
                items.u64(24 * i + 16, e.size);
            }
            r.0
        }
    }
}

#[export_name = "read-file"]
pub unsafe extern "C" fn read_file(ptr: *const u8, len: usize) -> *mut u8 {
    begin_call();
    match fsops::read_file(&arg(ptr, len)) {
        Err(e) => err(4, 12, &e),
        Ok(text) => {
            let r = area(12);
            r.str(4, &text);
            r.0
        }
    }
}

// result<file-info, string>: payload @8; file-info: kind @0, size @8, modified @16.
#[export_name = "get-file-info"]
pub unsafe extern "C" fn get_file_info(ptr: *const u8, len: usize) -> *mut u8 {
    begin_call();
    match fsops::get_file_info(&arg(ptr, len)) {
        Err(e) => err(8, 32, &e),
        Ok(info) => {
            let r = area(32);
            r.u8(8, info.kind as u8);
            r.u64(16, info.size);
            r.u64(24, info.modified);
            r.0
        }
    }
}

#[export_name = "find-files"]
pub unsafe extern "C" fn find_files(p_ptr: *const u8, p_len: usize, g_ptr: *const u8, g_len: usize) -> *mut u8 {
    begin_call();
    let (path, pattern) = (arg(p_ptr, p_len), arg(g_ptr, g_len));
    match fsops::find_files(&path, &pattern) {
        Err(e) => err(4, 12, &e),
        Ok(paths) => {
            let r = area(12);
            let items = r.list(4, paths.len(), 8);
            for (i, p) in paths.iter().enumerate() {
                items.str(8 * i, p);
            }
            r.0
        }
    }
}

// search-hit: path @0, line @8, text @12 (20 bytes, align 4).
#[export_name = "search-files"]
pub unsafe extern "C" fn search_files(p_ptr: *const u8, p_len: usize, t_ptr: *const u8, t_len: usize) -> *mut u8 {
    begin_call();
    let (path, text) = (arg(p_ptr, p_len), arg(t_ptr, t_len));
    match fsops::search_files(&path, &text) {
        Err(e) => err(4, 12, &e),
        Ok(hits) => {
            let r = area(12);
            let items = r.list(4, hits.len(), 20);
            for (i, h) in hits.iter().enumerate() {
                items.str(20 * i, &h.path);
                items.u32(20 * i + 8, h.line);
                items.str(20 * i + 12, &h.text);
            }
            r.0
        }
    }
}
