//! The `orgsim` command: parse arguments, call the library, print.

mod cli;

fn main() {
    if let Err(e) = cli::run() {
        eprintln!("Error: {e:#}");
        std::process::exit(if cli::interrupted() {
            cli::EXIT_INTERRUPTED
        } else {
            1
        });
    }
}
