use clap::Parser;

// The build allocates many small strings on every thread; mimalloc keeps that off glibc's locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    berdaya::common::diagnostics::install_panic_hook();
    berdaya::cli::run(berdaya::cli::Cli::parse())
}
