//! `applyflow tailor` and `applyflow bench tailor`: tailoring one job standalone.

use crate::runtime::Env;
use anyhow::{bail, Result};
use clap::Args;

/// Arguments of `applyflow tailor`.
#[derive(Debug, Args)]
pub struct TailorArgs {}

/// Arguments of `applyflow bench tailor`.
#[derive(Debug, Args)]
pub struct BenchTailorArgs {}

pub async fn run(_env: &Env, _args: TailorArgs) -> Result<()> {
    bail!("`applyflow tailor` is not built yet")
}

pub async fn bench(_args: BenchTailorArgs) -> Result<()> {
    bail!("`applyflow bench tailor` is not built yet")
}
