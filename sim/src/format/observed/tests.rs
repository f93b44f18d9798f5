use super::*;
use crate::format::trace::parse as parse_trace;

fn replay() -> Replay {
    let t = parse_trace(
        r#"{"format": "idc-trace", "version": 2,
            "steps": [
            {"caller": "management", "call": "EnableAWSServiceAccess"},
            {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}},
            {"caller": "management", "call": "CloseAccount", "params": {"AccountId": "member-1"}, "branch": {"close-delegate": "deregisters"}},
            {"caller": "member-1", "call": "CreateInstance"}
        ]}"#,
    )
    .unwrap();
    Replay::of(&t).unwrap()
}

const AGREE: &str = "# observed\n1 ok management: EnableAWSServiceAccess\n\n2 ok management: RegisterDelegatedAdministrator(AccountId=member-1)\n3 ok management: CloseAccount(AccountId=member-1)\n";

#[test]
fn an_agreeing_file_agrees() {
    let lines = parse(AGREE, "o.txt").unwrap();
    assert_eq!(lines[1].line, 4);
    let r = judge(&replay(), &lines, "t.json", "o.txt").unwrap();
    assert_eq!(r.result, ObservedResult::Agree);
    assert_eq!((r.judged, r.skipped, r.missing), (3, 0, 1));
    assert_eq!(
        r.steps[2].reading.as_deref(),
        Some("close-delegate=deregisters")
    );
}

#[test]
fn the_first_difference_is_named_with_the_readings_that_fit() {
    let text = AGREE.replace("3 ok", "3 ConstraintViolationException");
    let lines = parse(&text, "o.txt").unwrap();
    let r = judge(&replay(), &lines, "t.json", "o.txt").unwrap();
    assert_eq!(r.result, ObservedResult::Disagree);
    assert_eq!(r.first_difference, Some(2));
    assert_eq!(r.steps[2].other_readings, vec!["close-delegate=refused"]);
}

#[test]
fn skipped_and_done_steps() {
    assert_eq!(agrees("ok", "skipped"), None);
    assert_eq!(agrees("ok", "done"), Some(true));
    assert_eq!(agrees("AccessDeniedException", "done"), Some(false));
    assert_eq!(agrees("not-made", "not-made"), Some(true));
}

#[test]
fn malformed_files_name_the_line() {
    let e = parse("1 ok\n", "o.txt").unwrap_err().to_string();
    assert_eq!(e, "o.txt:1: `1 ok` is not `STEP OUTCOME CALL`");
    let e = parse("1 o(k) x: Y\n", "o.txt").unwrap_err().to_string();
    assert!(e.starts_with("o.txt:1: "), "{e}");
    let wrong_call = AGREE.replace("member-1)\n3", "member-2)\n3");
    let lines = parse(&wrong_call, "o.txt").unwrap();
    let e = judge(&replay(), &lines, "t.json", "o.txt")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "o.txt:4: step 2 is `management: RegisterDelegatedAdministrator(AccountId=member-1)` in the trace, not `management: RegisterDelegatedAdministrator(AccountId=member-2)`");
    let wrong_step = AGREE.replace("3 ok", "4 ok");
    let lines = parse(&wrong_step, "o.txt").unwrap();
    let e = judge(&replay(), &lines, "t.json", "o.txt")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "o.txt:5: step `4`, expected step 3");
    let more = format!("{AGREE}4 ok member-1: CreateInstance\n5 ok member-1: CreateInstance\n");
    let lines = parse(&more, "o.txt").unwrap();
    let e = judge(&replay(), &lines, "t.json", "o.txt")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "o.txt:7: the trace has 4 steps; this line is one more");
}
