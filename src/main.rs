use clap::Parser;

fn main() -> std::process::ExitCode {
    berdaya::cli::run(berdaya::cli::Cli::parse())
}
