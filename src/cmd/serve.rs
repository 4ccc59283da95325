//! `folio serve`: resolves its arguments, listens, loads the site, then runs the first
//! build and the rebuild loop beside the HTTP server (which answers from the start)
//! until Ctrl-C.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::time::Instant;

use crate::cli::ServeArgs;
use crate::cmd::{Exit, resolve_site, stop};
use crate::serve::incremental::IncrementalSite;
use crate::serve::live::LiveEvent;
use crate::serve::state::ServeState;
use crate::serve::warm::Warming;
use crate::serve::{self, http, watch};

pub fn run(args: &ServeArgs) -> Exit {
    let format = args.site.format;
    // A preview shows drafts unless the environment leaves them out.
    let mut args = args.clone();
    args.site.drafts_by_default = true;
    let args = &args;
    let options = match resolve_site(&args.site) {
        Ok(options) => options,
        Err(s) => return stop(s, format),
    };
    raise_open_file_limit();
    let listener = match listen(SocketAddr::new(args.bind, args.port)) {
        Ok(listener) => listener,
        Err(message) => return cannot_run(&message),
    };
    let started = Instant::now();
    let (site, diags) = IncrementalSite::load(args.site.clone(), options);
    let state = Arc::new(ServeState::new(site.root().to_path_buf()));
    let asks = Warming::begin(&state, &site.loaded().base_path);
    let (sender, changed_paths) = mpsc::channel();
    let options = site.options();
    let bare = options.content.is_bare();
    let watched = watch::watched_paths(site.root(), bare, &options.config.dataset);
    let _watcher = match watch::watch(&watched, sender) {
        Ok(watcher) => watcher,
        Err(err) => return cannot_run(&format!("cannot watch the site for changes: {err}")),
    };
    let url = site_url(&listener, &site.options().config.base_path());
    eprintln!(
        "Serving {} at {url} (Ctrl-C to stop)",
        site.options().config.title
    );
    let rebuild_state = Arc::clone(&state);
    let first = (asks, diags, started);
    std::thread::spawn(move || serve::run_site(site, rebuild_state, first, changed_paths, format));
    if args.open
        && let Err(err) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {err}");
    }
    match run_server(listener, state) {
        Ok(()) => {
            eprintln!("Stopped.");
            Exit::Success
        }
        Err(err) => cannot_run(&format!("the server stopped: {err}")),
    }
}

/// Every open connection holds a file descriptor: lift the soft limit (often 1,024) to
/// the hard one, so a page with many assets and many tabs never meets it.
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum {
            limit.current = limit.maximum;
            let _ = setrlimit(Resource::Nofile, limit);
        }
    }
}

fn cannot_run(message: &str) -> Exit {
    eprintln!("error: {message}");
    Exit::CannotRun
}

/// Binds before the first build, so a taken port is reported at once.
fn listen(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "cannot listen on {addr}: address already in use; pass --port to choose another"
            )
        } else {
            format!("cannot listen on {addr}: {err}")
        }
    })
}

fn site_url(listener: &TcpListener, base_path: &str) -> String {
    match listener.local_addr() {
        Ok(addr) => format!("http://{addr}{base_path}"),
        Err(_) => format!("http://localhost{base_path}"),
    }
}

fn run_server(listener: TcpListener, state: Arc<ServeState>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = http::router(Arc::clone(&state));
        http::serve(listener, app, stop_signal(state)).await;
        Ok(())
    })
}

/// Completes on Ctrl-C, after telling open pages' event streams to end.
async fn stop_signal(state: Arc<ServeState>) {
    let _ = tokio::signal::ctrl_c().await;
    state.send(LiveEvent::Shutdown);
}
