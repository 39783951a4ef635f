//! `orgsim serve`: the arguments, and the server started from them.

use clap::Args;

use super::signals::EXIT_INTERRUPTED;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, short, default_value_t = 8080)]
    port: u16,

    /// The address to listen on. The default answers this machine only; `--host 0.0.0.0`
    /// answers the whole network (the page has no log-in).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let server = orgsim::serve::Server::bind(&args.host, args.port, Default::default())?;
    let tmp = server.temp_dir();
    // Ctrl-C removes the temporary directory (runs live in memory and there) and exits.
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&tmp);
        eprintln!("\norgsim serve: stopped.");
        std::process::exit(EXIT_INTERRUPTED);
    });
    println!("orgsim serve: the what-if page is at {}", server.url);
    println!("Ctrl-C stops it.");
    if args.open {
        orgsim::serve::open_browser(&server.url);
    }
    server.run();
    Ok(())
}
