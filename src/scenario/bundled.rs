//! Scenarios compiled into the binary (they also live, identical, under `scenarios/`).

/// A scenario shipped with orgsim.
#[derive(Clone, Copy, Debug)]
pub struct Bundled {
    /// Its name: the path under `scenarios/` without `.json`.
    pub name: &'static str,
    /// The file's text.
    pub json: &'static str,
}

/// Every bundled scenario. A test checks this list against the `scenarios/` folder.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        name: "baseline",
        json: include_str!("../../scenarios/baseline.json"),
    },
    Bundled {
        name: "task-forces",
        json: include_str!("../../scenarios/task-forces.json"),
    },
    Bundled {
        name: "dual-system",
        json: include_str!("../../scenarios/dual-system.json"),
    },
    Bundled {
        name: "dual-system-early",
        json: include_str!("../../scenarios/dual-system-early.json"),
    },
    Bundled {
        name: "usual-suspects",
        json: include_str!("../../scenarios/usual-suspects.json"),
    },
    Bundled {
        name: "culture-war",
        json: include_str!("../../scenarios/culture-war.json"),
    },
    Bundled {
        name: "fast-change",
        json: include_str!("../../scenarios/fast-change.json"),
    },
    Bundled {
        name: "bite-sized-leadership",
        json: include_str!("../../scenarios/bite-sized-leadership.json"),
    },
    Bundled {
        name: "fear",
        json: include_str!("../../scenarios/fear.json"),
    },
    Bundled {
        name: "consultant-template",
        json: include_str!("../../scenarios/consultant-template.json"),
    },
    Bundled {
        name: "small",
        json: include_str!("../../scenarios/small.json"),
    },
    Bundled {
        name: "large",
        json: include_str!("../../scenarios/large.json"),
    },
    Bundled {
        name: "classic/march1991",
        json: include_str!("../../scenarios/classic/march1991.json"),
    },
];

/// What `orgsim run` runs when no scenario is named.
pub const DEFAULT_RUN: &[&str] = &["baseline", "task-forces", "dual-system"];

/// The bundled scenario called `name` (also accepted: with `.json`, or with `scenarios/` in
/// front).
pub fn find_bundled(name: &str) -> Option<&'static Bundled> {
    let name = name.strip_prefix("scenarios/").unwrap_or(name);
    let name = name.strip_suffix(".json").unwrap_or(name);
    BUNDLED.iter().find(|b| b.name == name)
}

/// The bundled names, comma-separated, for error messages.
pub(crate) fn bundled_names() -> String {
    BUNDLED
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}
