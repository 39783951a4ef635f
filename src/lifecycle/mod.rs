//! The life-cycle model: employees in a growing organization whose management system's
//! process density rises and suppresses the leadership that created it.
//!
//! Where to find each part of the state and each mechanism (docs/ODD.md, sections 2, 3 and 7.2):
//! - employees' weekly records and traits: [`people`];
//! - the org chart (departments, levels, managers) and its bookkeeping: [`chart`];
//! - the informal network: [`network`];
//! - hiring, a hire's draws and exits: [`growth`];
//! - process density, efficiency and the approval gates: [`management`];
//! - each employee's week (knowledge, engagement, quitting, spotting and deciding): [`weekly`];
//! - initiatives, recruitment through ties, the dip, completion: [`leadership`];
//! - March's code and reality, code learning, drift and market performance: [`knowledge`]
//!   (nesting [`crate::march1991`]);
//! - outputs, phases and innovation capacity: [`observe`];
//! - the intervention hook and the list of interventions: [`interventions`];
//! - the whole state, the week's levers and counts: [`state`].
//!
//! [`LifecycleModel::step`] runs the ODD's phases in order, one method each.

pub mod chart;
pub mod departments;
pub mod fast_exp;
pub mod growth;
pub mod interventions;
pub mod knowledge;
pub mod leadership;
pub mod management;
pub mod network;
pub mod observe;
pub mod params;
pub mod passes;
pub mod people;
pub mod state;
pub mod weekly;

#[cfg(test)]
mod tests;

use crate::march1991::mask_of;
use crate::model::{Model, Outputs, Series, Stop, columns};
use crate::rng::SimRng;
use chart::Chart;
use interventions::{Context, Intervention};
use knowledge::Knowledge;
use leadership::{Initiatives, LeadershipSystem};
use management::{Gates, Management};
use network::Network;
use params::{CodeLearning, LifecycleParams};
use people::{AgentId, Flags};
use state::{Levers, Org, WeekCounts};
use weekly::{Decided, Efforts, WeekContext};

/// The life-cycle model with fixed parameters and interventions.
#[derive(Debug)]
pub struct LifecycleModel {
    params: LifecycleParams,
    interventions: Vec<Box<dyn Intervention>>,
    /// The weekly quit probabilities of the engaged and the disengaged (from the yearly
    /// rates, computed once).
    quit_weekly: [f64; 2],
}

/// Converts a yearly probability to a weekly one with the same yearly total.
pub fn weekly_probability(yearly: f64) -> f64 {
    1.0 - libm::pow(1.0 - yearly.clamp(0.0, 1.0), 1.0 / 52.0)
}

impl LifecycleModel {
    /// A model with `params` (already validated) and `interventions`.
    pub fn new(params: LifecycleParams, interventions: Vec<Box<dyn Intervention>>) -> Self {
        LifecycleModel {
            quit_weekly: [
                weekly_probability(params.people.quit_rate_engaged),
                weekly_probability(params.people.quit_rate_disengaged),
            ],
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

    /// The conditions every part of this week's update reads, computed once from the state
    /// after the management system's week (phase 2).
    fn context(&self, org: &Org) -> WeekContext {
        let p = &self.params;
        let density = org.management.density;
        let fear = leadership::fear(p, &org.levers);
        WeekContext {
            seed: org.seed,
            step: org.step,
            week_key: crate::rng::stream_seed(org.seed, &[u64::from(org.step)]),
            ceo: org.chart.ceo.index(),
            code: org.knowledge.code,
            reality: org.knowledge.reality,
            m: p.knowledge.m,
            mask: mask_of(p.knowledge.m),
            p1: (p.knowledge.socialization_base + p.knowledge.socialization_from_process * density)
                .min(1.0),
            density,
            levers: org.levers,
            opportunity: knowledge::pace(p, org.years()),
            spot_rate: p.leadership.spot_rate,
            fear,
            gates: Gates::new(p, density, &org.levers, org.dual.sponsor_share),
            engagement_target: p.people.baseline_engagement * (1.0 - 0.5 * fear),
            quit_engaged: self.quit_weekly[0],
            quit_disengaged: self.quit_weekly[1],
            retirement_age: p.people.retirement_age,
        }
    }

    /// Phase 1, levers and interventions: interventions whose window has just closed undo
    /// what should not outlast it; the levers are reset; interventions in force set them.
    fn levers_and_interventions(&self, org: &mut Org) {
        for i in &self.interventions {
            if i.window().end == Some(org.step) {
                i.finish(&mut Context::of(org));
            }
        }
        org.levers = Levers::NEUTRAL;
        for i in self.active(org.step) {
            i.week_start(&mut Context::of(org));
        }
    }

    /// Phase 2, who sponsors the network and how the week's working time is used (from the
    /// state at the start of the week); then the management system writes and retires rules,
    /// and efficiency follows from process and the time given to delivery.
    fn management_system(&self, org: &mut Org) {
        if org.dual.network {
            org.dual.sponsor_share = management::sponsorship(
                &mut org.people,
                &org.chart.manager,
                &org.network,
                &org.dual.seats,
            );
        }
        org.time = weekly::time_use(
            &org.people.hot,
            &org.people.traits,
            &org.initiatives,
            org.management.density,
            &org.levers,
        );
        let lost = if org.time.operational > 0.0 {
            org.time.delivery_lost / org.time.operational
        } else {
            0.0
        };
        let (headcount, levels, departments) =
            (org.headcount(), org.chart.levels(), org.chart.departments);
        org.management.week(
            &self.params,
            headcount,
            levels,
            departments,
            &org.levers,
            org.dual.sponsor_share,
            lost,
        );
    }

    /// Phase 3, every employee's week (in parallel for large organizations); returns who
    /// decided to launch and to leave.
    fn employees_week(&self, org: &mut Org, week: &WeekContext) -> Decided {
        weekly::update_all(
            &mut org.people.hot,
            &org.people.traits,
            &org.chart.manager,
            week,
            &mut org.scratch,
        )
    }

    /// Phase 4, March's stage 3 when the code learns from everyone who outperformed it.
    fn code_learning(&self, org: &mut Org, week: &WeekContext, code_score: i32) {
        if self.params.knowledge.code_learning == CodeLearning::Everyone {
            // Everyone who outperformed the code (found in parallel for large organizations).
            let hot = &org.people.hot;
            let superior = passes::find(hot.len(), |i| {
                hot[i].flags.contains(Flags::ALIVE) && hot[i].performance > code_score
            });
            let superior = superior.into_iter().map(|i| hot[i as usize].action);
            org.knowledge
                .learn(&self.params, week.fear, superior, &mut org.rng);
        }
    }

    /// Phase 5, innovation capacity from the state; `efforts`: the first pass the employees'
    /// week made (`None` at founding, where it is made here).
    fn innovation_capacity(&self, org: &mut Org, week: &WeekContext, efforts: Option<Efforts>) {
        org.capacity = match efforts {
            Some(efforts) => observe::capacity_after_update(
                org.people.headcount(),
                efforts,
                &org.initiatives,
                &self.params,
                week,
                &org.scratch,
            ),
            None => observe::innovation_capacity(
                &org.people,
                &org.initiatives,
                &self.params,
                week,
                &mut org.scratch,
            ),
        };
    }

    /// Phase 6, the leadership system: launches meet the gate, then every initiative works.
    fn leadership_system(
        &self,
        org: &mut Org,
        week: &WeekContext,
        code_score: i32,
        launching: &[u32],
    ) {
        let mut system = LeadershipSystem {
            people: &mut org.people,
            managers: &org.chart.manager,
            network: &org.network,
            initiatives: &mut org.initiatives,
            knowledge: &mut org.knowledge,
            rng: &mut org.rng,
            counts: &mut org.week,
        };
        system.launch_these(&self.params, week, launching);
        system.progress(&self.params, week, code_score);
    }

    /// Phase 7, interventions' end-of-week hooks.
    fn interventions_week_end(&self, org: &mut Org) {
        for i in self.active(org.step) {
            i.week_end(&mut Context::of(org));
        }
    }

    /// Phase 8, exits: everyone who decided to leave (`leaving`, from the employees' week)
    /// goes; the chart and network heal.
    #[inline(never)]
    fn exits(&self, org: &mut Org, leaving: &[AgentId]) {
        growth::remove_all(
            &mut org.people,
            &mut org.chart,
            &mut org.network,
            &self.params,
            leaving,
        );
        org.week.exits += leaving.len() as u32;
    }

    /// Phase 9, hires toward the market ceiling, each met by interventions' hire hooks.
    #[inline(never)]
    fn hires(&self, org: &mut Org) {
        let n = growth::hires_due(
            &self.params,
            org.headcount(),
            org.knowledge.market,
            org.management.efficiency,
            org.week.exits,
            &mut org.rng,
        );
        let hired = growth::hire_all(
            &mut org.people,
            &mut org.chart,
            &mut org.network,
            &mut org.rng,
            &self.params,
            n,
        );
        org.week.hires = n;
        for id in hired {
            for i in self.active(org.step) {
                i.on_hire(&mut Context::of(org), id);
            }
        }
    }

    /// Phase 10, the environment drifts (March's stage 4) and market performance follows.
    fn environment(&self, org: &mut Org) {
        let years = org.years();
        org.knowledge
            .week_end(&self.params, years, org.management.efficiency, &mut org.rng);
    }
}

impl Model for LifecycleModel {
    type State = Org;

    fn outputs(&self) -> Outputs {
        Outputs {
            series: columns(observe::SERIES),
            outcomes: columns(observe::OUTCOMES),
            steps_per_year: Some(52.0),
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
        }
    }

    fn init(&self, seed: u64) -> Org {
        self.init_until(seed, &Stop::never())
            .expect("a build that is never stopped finishes")
    }

    fn init_until(&self, seed: u64, stop: &Stop) -> Option<Org> {
        let p = &self.params;
        let o = &p.organization;
        let mut rng = SimRng::from_seed(seed);
        let knowledge = Knowledge::new(p.knowledge.m, &mut rng);
        let mut org = Org {
            seed,
            step: 0,
            rng,
            people: Default::default(),
            chart: Chart::default(),
            network: Network::default(),
            management: Management::new(p),
            initiatives: Initiatives::default(),
            knowledge,
            levers: Levers::NEUTRAL,
            week: WeekCounts::default(),
            total: WeekCounts::default(),
            capacity: 0.0,
            dual: Default::default(),
            time: Default::default(),
            scratch: Vec::new(),
        };
        // The founding team is drawn, placed and tied in three parallel passes, each as the
        // founder plus `founders - 1` ordinary hires would be (docs/ODD.md, section 5).
        let n = o.founders as usize;
        org.people = growth::founders(p, seed, n);
        if stop.requested() {
            crate::model::free_in_background(org);
            return None;
        }
        org.chart = Chart::found_cohort(&mut org.people, o.span_of_control, o.hierarchy);
        org.network = Network::found_cohort(&org.chart, o, seed);
        if stop.requested() {
            crate::model::free_in_background(org);
            return None;
        }
        org.knowledge.market = org.management.efficiency * 0.5;
        // Week 0's capacity, from the founders' launch probabilities (no draws are made; by
        // chunk of slots, in parallel for large organizations).
        let week = self.context(&org);
        let (traits, managers) = (&org.people.traits, &org.chart.manager);
        passes::sum_mut(
            &mut org.people.hot,
            |first, hot| {
                for (k, h) in hot.iter_mut().enumerate() {
                    let i = first + k;
                    let (act, pass) = weekly::decision(h, &traits[i], managers[i].is_some(), &week);
                    h.launch_rate = (act * pass) as f32;
                }
            },
            |(), ()| (),
        );
        self.innovation_capacity(&mut org, &week, None);
        Some(org)
    }

    fn horizon(&self) -> u64 {
        (self.params.years * 52.0).round() as u64
    }

    /// Founding shares its work from 20,000 founders, a week from 20,000 employee slots.
    fn shares_work(&self, org: Option<&Org>) -> bool {
        let size = match org {
            None => self.params.organization.founders as usize,
            Some(org) => org.people.slots(),
        };
        size >= passes::PARALLEL_FROM
    }

    /// One week, in the order of docs/ODD.md section 3.
    fn step(&self, org: &mut Org) {
        org.week = WeekCounts::default();
        self.levers_and_interventions(org);
        self.management_system(org);
        // Everything after this reads the code as it was at the start of the week.
        let code_score = org.knowledge.code_score();
        let week = self.context(org);
        let decided = self.employees_week(org, &week);
        self.code_learning(org, &week, code_score);
        self.innovation_capacity(org, &week, Some(decided.efforts));
        self.leadership_system(org, &week, code_score, &decided.launching);
        self.interventions_week_end(org);
        self.exits(org, &decided.leaving);
        self.hires(org);
        self.environment(org);
        org.step += 1;
        org.total.add(&org.week);
    }

    fn observe(&self, org: &Org, row: &mut [f64]) {
        observe::observe(org, &self.params, row);
    }

    fn outcomes(&self, org: &Org, series: &Series) -> Vec<Option<f64>> {
        let ended = org.total.ended;
        let dip_quit_share =
            (ended > 0).then(|| f64::from(org.total.quit_in_dip) / f64::from(ended));
        observe::window_outcomes(series, 0, series.rows() - 1, dip_quit_share)
    }

    /// A large organization (from the size its weeks run in parallel at) is freed on a thread
    /// of its own, beside whatever follows the run; a small one is dropped here, where a
    /// thread would cost more than the freeing.
    fn dispose(&self, org: Org) {
        if org.people.slots() >= passes::PARALLEL_FROM {
            crate::model::free_in_background(org);
        }
    }

    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>> {
        let to = to.min(series.rows() - 1);
        (from <= to).then(|| observe::window_outcomes(series, from, to, None))
    }
}
