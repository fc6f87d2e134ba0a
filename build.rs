//! Link settings of the `berdaya` executable.
//!
//! On Linux with glibc 2.36 or newer, its relative relocations are packed (`DT_RELR`, linker
//! option `-z pack-relative-relocs`, LLD and GNU ld 2.38+): a position-independent executable
//! lists every pointer in its read-only data that the loader must adjust, and packed they take
//! 0.16 MB instead of 4.7 MB (1 Dec 2026, release build; README's Performance section). The
//! linker marks the executable as needing `GLIBC_ABI_DT_RELR`, so an older glibc refuses it
//! with a message instead of running it unadjusted; it is therefore only packed when the
//! machine building it, which is the one the README's commands run it on, has a glibc that
//! reads the format (the same check LLVM's own build makes).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    if target_os == "linux" && target_env == "gnu" && native && glibc_reads_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// True when this machine's glibc is 2.36 or newer (`gnu_get_libc_version`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn glibc_reads_relr() -> bool {
    unsafe extern "C" {
        fn gnu_get_libc_version() -> *const std::ffi::c_char;
    }
    // SAFETY: glibc returns a pointer to its static, NUL-terminated version text.
    let version = unsafe { std::ffi::CStr::from_ptr(gnu_get_libc_version()) };
    let mut parts = version.to_str().unwrap_or("").split('.');
    let number = |p: Option<&str>| p.and_then(|p| p.parse::<u32>().ok());
    matches!((number(parts.next()), number(parts.next())), (Some(major), Some(minor)) if (major, minor) >= (2, 36))
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn glibc_reads_relr() -> bool {
    false
}
