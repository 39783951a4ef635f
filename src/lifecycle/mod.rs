//! The life-cycle model: employees in a growing organization whose management system's
//! process density rises and suppresses the leadership that created it.
//!
//! Where to find each mechanism:
//! - growth, the org chart and the informal network: [`growth`];
//! - process density, efficiency and the approval gate: [`management`];
//! - each employee's week (knowledge, engagement, quitting, spotting and deciding): [`weekly`];
//! - initiatives, recruitment through ties, the dip, completion: [`leadership`];
//! - March's code, nested: [`crate::march1991`] functions called from [`weekly`] and
//!   [`leadership`], and the weekly code learning and drift here;
//! - outputs, phases and innovation capacity: [`observe`];
//! - the intervention hook: [`interventions`].

pub mod growth;
pub mod interventions;
pub mod leadership;
pub mod management;
pub mod observe;
pub mod params;
pub mod people;
pub mod state;
pub mod weekly;

use crate::march1991::{Beliefs, learn_code, mask_of};
use crate::model::{Model, Outputs, Series};
use crate::rng::Draw;
use crate::rng::SimRng;
use interventions::Intervention;
use params::{CodeLearning, LifecycleParams};
use people::{AgentId, FLAG_LEAVING};
use state::{Levers, Org, WeekCounts};
use weekly::WeekContext;

/// The life-cycle model with fixed parameters and interventions.
#[derive(Debug)]
pub struct LifecycleModel {
    params: LifecycleParams,
    interventions: Vec<Box<dyn Intervention>>,
}

/// Converts a yearly probability to a weekly one with the same yearly total.
pub fn weekly_probability(yearly: f64) -> f64 {
    1.0 - (1.0 - yearly.clamp(0.0, 1.0)).powf(1.0 / 52.0)
}

impl LifecycleModel {
    /// A model with `params` (already validated) and `interventions`.
    pub fn new(params: LifecycleParams, interventions: Vec<Box<dyn Intervention>>) -> Self {
        LifecycleModel {
            params,
            interventions,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &LifecycleParams {
        &self.params
    }

    fn active(&self, step: u32) -> impl Iterator<Item = &dyn Intervention> {
        self.interventions
            .iter()
            .map(|b| b.as_ref())
            .filter(move |i| i.window().contains(step))
    }

    fn context(&self, org: &Org) -> WeekContext {
        let p = &self.params;
        let years = org.years();
        let fear = (p.leadership.fear + org.levers.fear_shift).clamp(0.0, 1.0);
        WeekContext {
            seed: org.seed,
            step: org.step,
            week_key: crate::rng::stream_seed(org.seed, &[u64::from(org.step)]),
            ceo: org.ceo.index(),
            code: org.code,
            reality: org.reality,
            m: p.knowledge.m,
            mask: mask_of(p.knowledge.m),
            p1: (p.knowledge.socialization_base
                + p.knowledge.socialization_from_process * org.density)
                .min(1.0),
            density: org.density,
            levers: org.levers,
            opportunity: (p.environment.acceleration * years).exp(),
            spot_rate: p.leadership.spot_rate,
            fear,
            block: management::block_probability(p, org.density),
            network_block: leadership::network_block_probability(p, org),
            engagement_target: p.people.baseline_engagement * (1.0 - 0.5 * fear),
            quit_engaged: weekly_probability(p.people.quit_rate_engaged),
            quit_disengaged: weekly_probability(p.people.quit_rate_disengaged),
            retirement_age: p.people.retirement_age,
        }
    }
}

impl Model for LifecycleModel {
    type State = Org;

    fn outputs(&self) -> Outputs {
        Outputs {
            series: observe::SERIES,
            outcomes: observe::OUTCOMES,
            steps_per_year: Some(52.0),
            categories: &[("phase", observe::PHASES)],
            headline: observe::HEADLINE,
            trajectory: &[
                "headcount",
                "process_density",
                "leadership_share",
                "innovation_capacity",
                "innovation_capacity_per_100",
                "efficiency",
                "phase",
            ],
            curve_peak: Some("innovation_capacity"),
            outcome_means: observe::OUTCOME_MEANS,
        }
    }

    fn init(&self, seed: u64) -> Org {
        let p = &self.params;
        let mut rng = SimRng::from_seed(seed);
        let mut reality = 0u64;
        for d in 0..p.knowledge.m {
            if rng.next_u64() >> 63 == 1 {
                reality |= 1 << d;
            }
        }
        let mut org = Org {
            seed,
            step: 0,
            rng,
            people: Default::default(),
            ties: Vec::new(),
            initiatives: Vec::new(),
            free_initiatives: Vec::new(),
            code: Beliefs::default(),
            reality,
            ceo: AgentId(0),
            density: p.management.initial_density,
            efficiency: 0.0,
            market: 0.0,
            departments: 1,
            headcount: 0,
            managers: 0,
            level_counts: Vec::new(),
            with_room: Vec::new(),
            full: Vec::new(),
            levers: Levers::NEUTRAL,
            week: WeekCounts::default(),
            total: WeekCounts::default(),
            capacity: 0.0,
            scratch: Vec::new(),
        };
        // The founder heads the organization; the other founders join as first hires.
        let founders = p.organization.founders as usize;
        org.people.reserve_exact(founders);
        org.ties.reserve_exact(founders);
        let (person, traits) = growth::new_person(p, &mut org.rng, false);
        let ceo = org.people.add(person, traits, 0);
        org.ties.push(Vec::new());
        org.ceo = ceo;
        org.headcount = 1;
        org.level_counts = vec![1];
        if p.organization.hierarchy {
            growth::make_manager(&mut org, p, ceo);
        }
        for _ in 1..p.organization.founders {
            growth::hire(&mut org, p);
        }
        org.efficiency = management::efficiency(p, org.density);
        org.market = org.efficiency * 0.5;
        // Week 0's capacity, from the founders' launch probabilities (no draws are made).
        let ctx = self.context(&org);
        for i in 0..org.people.slots() {
            let has_manager = org.people.manager[i].is_some();
            let (act, pass) =
                weekly::decision(&org.people.hot[i], &org.people.traits[i], has_manager, &ctx);
            org.people.hot[i].launch_rate = (act * pass) as f32;
        }
        let mut scratch = Vec::new();
        org.capacity = observe::innovation_capacity(&org, p, &mut scratch);
        org
    }

    fn horizon(&self) -> u64 {
        (self.params.years * 52.0).round() as u64
    }

    fn step(&self, org: &mut Org) {
        let p = &self.params;
        org.week = WeekCounts::default();
        // Interventions whose window has just closed undo what should not outlast them.
        for i in &self.interventions {
            if i.window().end == Some(org.step) {
                i.finish(org, p);
            }
        }
        // Interventions set this week's levers.
        org.levers = Levers::NEUTRAL;
        for i in self.active(org.step) {
            i.week_start(org, p);
        }
        // The management system writes and retires rules.
        management::update_density(org, p);
        // Every employee's week, then the code's (March stage 3 when everyone teaches it).
        let code_score = leadership::code_score(org);
        let ctx = self.context(org);
        weekly::update_all(
            &mut org.people.hot,
            &org.people.traits,
            &org.people.manager,
            &ctx,
        );
        if p.knowledge.code_learning == CodeLearning::Everyone {
            let superior: Vec<u64> = org
                .people
                .hot
                .iter()
                .filter(|h| h.flags & people::FLAG_ALIVE != 0 && h.performance > code_score)
                .map(|h| h.action)
                .collect();
            let rate = leadership::learning_rate(p, org);
            learn_code(
                &mut org.code,
                p.knowledge.m,
                rate,
                superior.into_iter(),
                &mut org.rng,
            );
        }
        let mut scratch = std::mem::take(&mut org.scratch);
        org.capacity = observe::innovation_capacity(org, p, &mut scratch);
        org.scratch = scratch;
        // The leadership system.
        leadership::launch(org, p);
        leadership::progress(org, p, code_score);
        for i in self.active(org.step) {
            i.week_end(org, p);
        }
        // Exits, then hires.
        for i in 0..org.people.slots() {
            if org.people.hot[i].flags & FLAG_LEAVING != 0 {
                growth::remove(org, p, AgentId(i as u32));
                org.week.exits += 1;
            }
        }
        let before = org.people.slots();
        let mut hired = Vec::new();
        let n = growth::hire_week(org, p, &mut hired);
        debug_assert!(org.people.slots() >= before);
        org.week.hires = n;
        for id in hired {
            for i in self.active(org.step) {
                i.on_hire(org, p, id);
            }
        }
        // The environment drifts, faster every year (March's stage 4).
        let years = org.years();
        let drift =
            (p.environment.drift_per_year * (p.environment.acceleration * years).exp()).min(1.0);
        let flip = weekly_probability(drift);
        if flip > 0.0 {
            for d in 0..p.knowledge.m {
                if org.rng.chance(flip) {
                    org.reality ^= 1 << d;
                }
            }
        }
        // Market performance follows what the firm knows and how reliably it delivers, with
        // a lag of about a year.
        let knowledge = f64::from(leadership::code_score(org)) / f64::from(p.knowledge.m);
        let target = org.efficiency * (0.5 + 0.5 * knowledge.clamp(0.0, 1.0));
        org.market += (target - org.market) / 52.0;
        org.step += 1;
        let (w, t) = (org.week, &mut org.total);
        t.hires += w.hires;
        t.exits += w.exits;
        t.innovations += w.innovations;
        t.quit_in_dip += w.quit_in_dip;
        t.ended += w.ended;
    }

    fn observe(&self, org: &Org, row: &mut [f64]) {
        observe::observe(org, &self.params, row);
    }

    fn outcomes(&self, org: &Org, series: &Series) -> Vec<Option<f64>> {
        let mut o = observe::window_outcomes(series, 0, series.rows() - 1);
        let ended = org.total.ended;
        o[observe::DIP_QUIT_SHARE] =
            (ended > 0).then(|| f64::from(org.total.quit_in_dip) / f64::from(ended));
        o
    }

    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>> {
        let to = to.min(series.rows() - 1);
        (from <= to).then(|| observe::window_outcomes(series, from, to))
    }
}
