//! Build settings: the versions of the compressors, and link settings of the `berdaya`
//! executable.
//!
//! `BERDAYA_COMPRESSORS` names the `brotli` and `libdeflate-sys` versions in `Cargo.lock` (the
//! record of a build's `.gz`/`.br` files names them, so a rebuild after an update compresses
//! afresh instead of keeping bytes a fresh build would not make).
//!
//! On Linux with glibc 2.36 or newer, its relative relocations are packed (`DT_RELR`, linker
//! option `-z pack-relative-relocs`, LLD and GNU ld 2.38+): a position-independent executable
//! lists every pointer in its read-only data that the loader must adjust, and packed they take
//! 0.16 MB instead of 4.7 MB (1 Dec 2026, release build; README's Performance section). The
//! linker marks the executable as needing `GLIBC_ABI_DT_RELR`, so an older glibc refuses it
//! with a message instead of running it unadjusted; it is therefore only packed when the
//! machine building it, which is the one the README's commands run it on, has a glibc that
//! reads the format (the same check LLVM's own build makes). A binary to copy to machines with
//! an older glibc (Ubuntu 22.04 has 2.35) is built with `BERDAYA_UNPACKED_RELOCATIONS=1`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rustc-env=BERDAYA_COMPRESSORS={}", compressors());
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    // For a binary meant for machines with an older glibc than this one's.
    println!("cargo:rerun-if-env-changed=BERDAYA_UNPACKED_RELOCATIONS");
    let unpacked = std::env::var_os("BERDAYA_UNPACKED_RELOCATIONS").is_some();
    if target_os == "linux" && target_env == "gnu" && native && !unpacked && glibc_reads_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// `brotli 8.0.4, libdeflate-sys 1.26.1` from `Cargo.lock` (every version locked, joined by
/// `/`; `unknown` without a lock file).
fn compressors() -> String {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let lock = std::fs::read_to_string(std::path::Path::new(&manifest).join("Cargo.lock"))
        .unwrap_or_default();
    let lines: Vec<&str> = lock.lines().map(str::trim).collect();
    let versions = |name: &str| {
        let wanted = format!("name = \"{name}\"");
        let found: Vec<&str> = lines
            .windows(2)
            .filter(|w| w[0] == wanted)
            .filter_map(|w| w[1].strip_prefix("version = \"")?.strip_suffix('"'))
            .collect();
        if found.is_empty() {
            "unknown".to_string()
        } else {
            found.join("/")
        }
    };
    format!(
        "brotli {}, libdeflate-sys {}",
        versions("brotli"),
        versions("libdeflate-sys")
    )
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
