use super::commands::{command, Command};
use super::*;
use crate::format::export::tests::sample;
use idc_model::calls::all_calls;
use idc_model::Config;

fn script() -> String {
    let t = sample();
    let r = Replay::of(&t).unwrap();
    let mut out = Vec::new();
    awscli("sample.json", &t, &r, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_script_has_the_account_map_and_the_real_parameters() {
    let s = script();
    assert!(s.starts_with("#!/usr/bin/env bash\n"), "{s}");
    assert!(s.contains("CHANGES THE ORGANIZATION IT RUNS IN"));
    for account in ["management", "member_1", "member_2"] {
        assert!(s.contains(&format!("ACCOUNT_{account}=\"${{ACCOUNT_{account}:-}}\"")));
        assert!(s.contains(&format!("PROFILE_{account}=")));
    }
    assert!(s.contains("set -u\n"));
    // EnableIdentityCenter and ChangeIdentitySource have no API: done by hand.
    assert!(
        s.contains("manual 1 'management: EnableIdentityCenter'"),
        "{s}"
    );
    assert!(
        s.contains("manual 5 'management: ChangeIdentitySource"),
        "{s}"
    );
    assert!(s.contains(
        "step 3 'management: RegisterDelegatedAdministrator(AccountId=member-1)' management organizations register-delegated-administrator \\\n    --account-id \"$ACCOUNT_member_1\" \\\n    --service-principal sso.amazonaws.com\n"
    ), "{s}");
    assert!(s.contains("# step 2: member-1: DeleteInstance(Instance=organization); the model: AccessDeniedException"), "{s}");
    assert!(s.contains("--query DirectoryId --output text\nif [ \"$OUTCOME\" = ok ]; then DIRECTORY_member_1=$OUT; fi"), "{s}");
}

#[test]
fn every_call_of_the_model_has_a_command_or_an_instruction() {
    let cfg = Config::default();
    let mut manual = std::collections::BTreeSet::new();
    for call in all_calls(&cfg) {
        match command(&call) {
            Command::Manual(text) => {
                assert!(
                    !text.contains(&call.op.to_string()),
                    "no instruction for {call}"
                );
                manual.insert(call.op.name());
            }
            Command::Cli(cli) => {
                assert!(cli.args.iter().all(|(n, _)| n.starts_with("--")), "{call}");
            }
        }
    }
    let manual: Vec<_> = manual.into_iter().collect();
    assert_eq!(
        manual,
        vec![
            "ChangeIdentitySource",
            "CloseOwnAccount",
            "DisableUserAccess",
            "EnableConfigurableADSync",
            "EnableIdentityCenter",
            "EnableUserAccess",
            "PauseADSync",
            "ReinstateAccount",
            "RemoveClosedAccount",
            "RemovePermissionSetFromAccount",
            "ResetUserPassword",
            "ResumeADSync",
        ]
    );
}

#[test]
fn outcomes_are_words() {
    let r = Replay::of(&sample()).unwrap();
    let words: Vec<_> = r.steps.iter().map(|s| outcome_word(&s.outcome)).collect();
    assert_eq!(words, vec!["ok", "AccessDeniedException", "ok", "ok", "ok"]);
    assert_eq!(step_word(&r, 0), "1");
    assert_eq!(quoted("it's"), r"'it'\''s'");
}
