//! folio: a static documentation site generator whose version facts come from one
//! dataset. The modules follow the pipeline: `load` -> `markdown` -> `nav` -> `render` ->
//! `output`, run by `pipeline` and driven by the commands in `cmd`.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dataset;
pub mod diag;
pub mod fsutil;
pub mod fuzz;
pub mod load;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod yaml;
