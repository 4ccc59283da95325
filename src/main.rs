use clap::Parser;

fn main() {
    let cli = folio::cli::Cli::parse();
    std::process::exit(folio::cmd::run(cli) as i32);
}
