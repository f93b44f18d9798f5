//! Paths: a sequence of steps from the initial state named by indices, as the explorer's
//! URLs and API carry them (`3,17.1`): each token `I` or `I.K`, `I` the call's index in the
//! model's call list, `K` the outcome's index among that call's outcomes in the state it is
//! made in (`I` alone is `I.0`).

use idc_model::{Action, IdcModel, State};

use crate::engine::run::{advance, run_from};

/// The most steps a path may have.
pub const MAX_STEPS: usize = 1_000;

/// One step of a path: the call's index and the outcome's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// The call's index in [`IdcModel::calls`].
    pub call: usize,
    /// The outcome's index among the call's outcomes (in [`IdcModel::outcomes`]' order).
    pub outcome: usize,
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.outcome == 0 {
            write!(f, "{}", self.call)
        } else {
            write!(f, "{}.{}", self.call, self.outcome)
        }
    }
}

/// Why a path names no sequence of steps.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// A token is not `I` or `I.K`.
    #[error("path: step {step}: expected CALL or CALL.OUTCOME (numbers), found '{token}'")]
    Token {
        /// 1-based.
        step: usize,
        /// The token, escaped and truncated.
        token: String,
    },
    /// More than [`MAX_STEPS`] steps.
    #[error("path: {steps} steps, more than the {MAX_STEPS} a path may have")]
    TooLong {
        /// The steps given.
        steps: usize,
    },
    /// No call has that index.
    #[error("path: step {step}: no call {call} (the model has {calls}: 0 to {})", calls - 1)]
    Call {
        /// 1-based.
        step: usize,
        /// The index given.
        call: usize,
        /// The model's calls.
        calls: usize,
    },
    /// The call has fewer outcomes in that state.
    #[error("path: step {step}: call {call} has {outcomes} outcome{} there, no outcome {outcome}", if *.outcomes == 1 { "" } else { "s" })]
    Outcome {
        /// 1-based.
        step: usize,
        /// The call's index.
        call: usize,
        /// The outcome index given.
        outcome: usize,
        /// The call's outcomes in that state.
        outcomes: usize,
    },
}

/// Parses a path (`""` is the empty path).
pub fn parse(text: &str) -> Result<Vec<Token>, PathError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let steps = text.split(',').count();
    if steps > MAX_STEPS {
        return Err(PathError::TooLong { steps });
    }
    text.split(',')
        .enumerate()
        .map(|(i, t)| {
            let number = |s: &str| -> Option<usize> {
                (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse().ok())
                    .flatten()
            };
            let (c, o) = match t.split_once('.') {
                Some((c, o)) => (number(c), number(o)),
                None => (number(t), Some(0)),
            };
            match (c, o) {
                (Some(call), Some(outcome)) => Ok(Token { call, outcome }),
                _ => Err(PathError::Token {
                    step: i + 1,
                    token: idc_model::echo::echo(t),
                }),
            }
        })
        .collect()
}

/// Formats a path.
pub fn format(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&t.to_string());
    }
    out
}

/// The actions a path takes from `start`, and the state it ends in.
pub fn resolve(
    model: &IdcModel,
    start: &State,
    tokens: &[Token],
) -> Result<(Vec<Action>, State), PathError> {
    let calls = model.calls();
    let mut state = start.clone();
    let mut actions = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let call = *calls.get(t.call).ok_or(PathError::Call {
            step: i + 1,
            call: t.call,
            calls: calls.len(),
        })?;
        let mut outcomes = 0;
        let mut taken = None;
        model.outcomes(&state, call, |branch, outcome| {
            if outcomes == t.outcome {
                taken = Some((branch, outcome));
            }
            outcomes += 1;
        });
        let (branch, outcome) = taken.ok_or(PathError::Outcome {
            step: i + 1,
            call: t.call,
            outcome: t.outcome,
            outcomes,
        })?;
        advance(&mut state, &outcome);
        actions.push(Action { call, branch });
    }
    Ok((actions, state))
}

/// The path of a sequence of actions from `start` (as [`run_from`] takes them: a branch
/// that does not fit takes the call's first outcome).
pub fn of_actions(model: &IdcModel, start: &State, actions: &[Action]) -> Vec<Token> {
    let (records, _) = run_from(model, start.clone(), actions);
    let mut state = start.clone();
    let mut tokens = Vec::with_capacity(records.len());
    for r in &records {
        let call = model
            .calls()
            .iter()
            .position(|c| *c == r.action.call)
            .unwrap_or(0);
        let mut index = 0;
        let mut found = None;
        let mut next = None;
        model.outcomes(&state, r.action.call, |branch, outcome| {
            if found.is_none() && branch == r.action.branch {
                found = Some(index);
                next = Some(outcome);
            }
            index += 1;
        });
        // INVARIANT: run_from records the branch it took, one of the call's outcomes.
        if let Some(outcome) = &next {
            advance(&mut state, outcome);
        }
        tokens.push(Token {
            call,
            outcome: found.unwrap_or(0),
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use idc_model::Config;

    #[test]
    fn parse_and_format_round_trip() {
        let t = parse("3,17.1,0").unwrap();
        assert_eq!(
            t,
            vec![
                Token {
                    call: 3,
                    outcome: 0
                },
                Token {
                    call: 17,
                    outcome: 1
                },
                Token {
                    call: 0,
                    outcome: 0
                }
            ]
        );
        assert_eq!(format(&t), "3,17.1,0");
        assert_eq!(parse("").unwrap(), vec![]);
        for bad in ["a", "1.", ".1", "1..2", "1,", "-1", "1.2.3", "9999999"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            parse(&vec!["0"; MAX_STEPS + 1].join(",")),
            Err(PathError::TooLong { .. })
        ));
    }

    #[test]
    fn every_outcome_of_every_call_resolves_and_round_trips() {
        let model = IdcModel::new(Config {
            members: 1,
            ..Config::default()
        })
        .unwrap();
        let init = model.initial();
        // Two levels deep: each call's outcomes, then each call again.
        for (i, &call) in model.calls().iter().enumerate() {
            let mut n = 0;
            model.outcomes(&init, call, |_, _| n += 1);
            for k in 0..n {
                let tokens = vec![Token {
                    call: i,
                    outcome: k,
                }];
                let (actions, end) = resolve(&model, &init, &tokens).unwrap();
                let back = of_actions(&model, &init, &actions);
                assert_eq!(back, tokens);
                let (_, again) = run_from(&model, init.clone(), &actions);
                assert_eq!(again, end);
            }
        }
        let err = resolve(
            &model,
            &init,
            &[Token {
                call: 100_000,
                outcome: 0,
            }],
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("path: step 1: no call 100000"));
        let err = resolve(
            &model,
            &init,
            &[Token {
                call: 0,
                outcome: 9,
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("no outcome 9"), "{err}");
    }
}
