//! `applyflow render`, `applyflow templates` and `applyflow bench render`.

use anyhow::{bail, Result};
use clap::{Args, Subcommand};

/// Arguments of `applyflow render`.
#[derive(Debug, Args)]
pub struct RenderArgs {}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the templates.
    List,
}

/// Arguments of `applyflow bench render`.
#[derive(Debug, Args)]
pub struct BenchRenderArgs {}

pub fn run(_args: RenderArgs) -> Result<()> {
    bail!("`applyflow render` is not built yet")
}

pub fn templates(_cmd: TemplatesCommand) -> Result<()> {
    bail!("`applyflow templates` is not built yet")
}

pub fn bench(_args: BenchRenderArgs) -> Result<()> {
    bail!("`applyflow bench render` is not built yet")
}
