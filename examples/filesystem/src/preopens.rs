// Lists the preopened directories through WASI preview1 directly (Rust 1.63's std has no API for them).

#[repr(C)]
struct Prestat {
    tag: u8,
    name_len: u32,
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn fd_prestat_get(fd: u32, out: *mut Prestat) -> u16;
    fn fd_prestat_dir_name(fd: u32, path: *mut u8, len: u32) -> u16;
}

pub fn list() -> Vec<String> {
    let mut out = Vec::new();
    // Preopens are numbered from 3 upwards without gaps; the first EBADF ends them.
    for fd in 3u32..1024 {
        let mut st = Prestat { tag: 0, name_len: 0 };
        if unsafe { fd_prestat_get(fd, &mut st) } != 0 {
            break;
        }
        if st.tag != 0 {
            continue;
        }
        let mut name = vec![0u8; st.name_len as usize];
        if unsafe { fd_prestat_dir_name(fd, name.as_mut_ptr(), st.name_len) } == 0 {
            out.push(String::from_utf8_lossy(&name).trim_end_matches('\0').to_string());
        }
    }
    out
}
