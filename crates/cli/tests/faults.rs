//! The fault drill, black-box: `applyflow bench faults` runs the pipeline under every fault and
//! every row must report 0 lost and 0 duplicated workflows, with the per-fault checks holding
//! (the panic's dead letter, SIGTERM's exit 0, the aggregator that cannot withdraw the job,
//! NUL-free storage). With `TEST_DATABASE_URL` set the in-process drills run on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::process::Command;

#[test]
fn every_fault_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_applyflow"));
    cmd.arg("--data-dir")
        .arg(dir.path())
        .args(["bench", "faults", "--users", "2", "--jobs", "4", "--outage-ms", "1500"])
        .env_remove("APPLYFLOW_CONFIG")
        .env("RUST_LOG", "error");
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => cmd.env("DATABASE_URL", url),
        _ => cmd.env_remove("DATABASE_URL"),
    };
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let rows = report["faults"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["fault"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "agent_panic",
            "database_unavailable",
            "llm_absurd_retry_after",
            "sigterm",
            "sigkill",
            "board_drops_posting",
            "nul_bytes"
        ]
    );
    for r in rows {
        assert_eq!((r["lost"].as_u64(), r["duplicated"].as_u64()), (Some(0), Some(0)), "{r:#}");
        assert!(r["completed"].as_u64().unwrap() > 0, "{r:#}");
        assert!(r["recovery_ms"].is_u64(), "{r:#}");
    }
    let row = |name: &str| rows.iter().find(|r| r["fault"] == name).unwrap();
    assert_eq!(row("agent_panic")["detail"]["dead_letters_with_panic_message"], 1);
    assert_eq!(row("agent_panic")["failed"], 1);
    assert_eq!(row("database_unavailable")["failed"], 0);
    assert!(row("database_unavailable")["detail"]["calls_refused_during_outage"].as_u64().unwrap() > 0);
    assert!(row("llm_absurd_retry_after")["detail"]["provider_requests"].as_u64().unwrap() > 0);
    assert_eq!(row("sigterm")["detail"]["graceful_exit_0"], true);
    let kill = &row("sigkill")["detail"];
    assert!(kill["webhook_submissions"].as_u64().unwrap() > 0, "{kill:#}");
    assert_eq!(kill["webhook_submissions"], kill["webhook_reference_submissions"], "{kill:#}");
    assert_eq!(
        (kill["submissions_never_arrived"].as_u64(), kill["submissions_unrecorded"].as_u64()),
        (Some(0), Some(0))
    );
    let boards = &row("board_drops_posting")["detail"];
    assert_eq!(boards["withdrawn_while_still_listed"], 0);
    assert_eq!(boards["job_text_overwritten_by_aggregator"], false);
    assert_eq!(boards["withdrawn_after_employer_closed"], 1);
    assert_eq!(row("nul_bytes")["detail"]["stored_text_has_no_nul"], true);
    assert_eq!(report["all_zero_lost_and_duplicated"], true);
}
