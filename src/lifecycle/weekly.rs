//! What each employee does in a week, independently of everyone else: act on their beliefs,
//! be socialized toward the code, age, drift in engagement and initiative, decide whether to
//! leave, and spot and decide to act on an opportunity.
//!
//! Every draw comes from a counter-based stream keyed by (run, week, slot), and an employee's
//! update reads only the state at the start of the week and writes only their own record, so
//! the updates run in parallel (for large organizations) with identical results.

use rayon::prelude::*;

use super::leadership::Initiatives;
use super::management::Gates;
use super::people::{AgentId, Flags, Person, SENSEMAKING, Traits};
use super::state::{Levers, PROTECTED_TIME_EROSION, TimeUse};

/// A chartered task force's members look for opportunities in its remit more often.
pub const TASK_FORCE_FOCUS: f64 = 1.5;
use crate::march1991::{Beliefs, Socialization, act, socialize};
use crate::rng::{Stream, chance32};

/// Organizations at least this large update employees in parallel.
pub const PARALLEL_FROM: usize = 20_000;
use super::passes::CHUNK;

/// Everything an employee's week depends on besides their own record.
#[derive(Clone, Copy, Debug)]
pub struct WeekContext {
    /// The run seed.
    pub seed: u64,
    /// The week being simulated.
    pub step: u32,
    /// The week's stream key, `stream_seed(seed, [step])`; employee i's stream is keyed by
    /// mixing it with i.
    pub week_key: u64,
    /// Slot of the founder (never leaves).
    pub ceo: usize,
    /// The code at the start of the week.
    pub code: Beliefs,
    /// Reality.
    pub reality: u64,
    /// Dimensions.
    pub m: u32,
    /// Mask of the dimensions.
    pub mask: u64,
    /// Socialization probability this week.
    pub p1: f64,
    /// Process density.
    pub density: f64,
    /// This week's levers (protected time, spotting and deciding factors).
    pub levers: Levers,
    /// Opportunity rate multiplier (accelerating change).
    pub opportunity: f64,
    /// Weekly spotting probability at full sensemaking and slack.
    pub spot_rate: f64,
    /// Fear, 0 to 1.
    pub fear: f64,
    /// This week's approval gates.
    pub gates: Gates,
    /// Engagement people settle at.
    pub engagement_target: f64,
    /// Weekly quit probability at engagement 1 and at engagement 0.
    pub quit_engaged: f64,
    /// Weekly quit probability at engagement 0.
    pub quit_disengaged: f64,
    /// Retirement age.
    pub retirement_age: f64,
}

/// One person's week of working time, in shares of a week (docs/ODD.md 7.2.4).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeBudget {
    /// Operational (delivery) work owed.
    pub operational: f64,
    /// Discretionary time process leaves free.
    pub free: f64,
    /// Time left for self-chosen work (spotting, starting or working on an initiative): free
    /// time plus the useful part of protected time, less leadership duties.
    pub slack: f64,
    /// Leadership work: initiative work, coalition and urgency-group duties, check-ins.
    pub leadership: f64,
    /// Operational time given instead to self-chosen work (it comes out of free time first).
    pub delivery_lost: f64,
}

/// The week of someone with these traits and `flags`, at process density `density` under
/// this week's `levers`; `initiative` is `Some(weekly check-in time)` for a member of a
/// running initiative, `None` otherwise.
///
/// Process takes `density` of the discretionary time (1 - operational load); what it leaves is
/// free. Protected time (autonomy, coalition, task force) is taken from the week. Duties
/// (urgency group, check-ins) come first; an initiative member then gives the rest of their
/// free time and their protected time to the initiative. Self-chosen work comes out of free
/// time first and then out of delivery, and never exceeds free time plus delivery time.
#[inline]
pub fn time_budget(
    traits: &Traits,
    flags: Flags,
    density: f64,
    levers: &Levers,
    initiative: Option<f64>,
) -> TimeBudget {
    let operational = f64::from(traits.operational_load);
    let free = (1.0 - operational) * (1.0 - density);
    let (cost, yields) = levers.protected_for(flags, density);
    let duties = levers.duties(flags) + initiative.unwrap_or(0.0);
    let slack = (free + yields - duties).clamp(0.0, 1.0);
    let initiative_work = if initiative.is_some() {
        (free - duties).max(0.0)
    } else {
        0.0
    };
    let self_chosen = (duties + cost + initiative_work).min(free + operational);
    // Organization-wide protected time is exploration unless it goes into an initiative.
    let exploring = if initiative.is_some() {
        0.0
    } else {
        levers.protected_slack * (1.0 - PROTECTED_TIME_EROSION * density)
    };
    TimeBudget {
        operational,
        free,
        slack,
        leadership: (self_chosen - exploring).max(0.0),
        delivery_lost: (self_chosen - free).clamp(0.0, operational),
    }
}

/// The time a free person (in no initiative) has for self-chosen work
/// ([`TimeBudget::slack`]).
#[inline]
pub fn slack(traits: &Traits, flags: Flags, density: f64, levers: &Levers) -> f64 {
    time_budget(traits, flags, density, levers, None).slack
}

/// What a member of an initiative whose check-ins take `checkin_time` a week puts into it in
/// a week: their slack x energy.
#[inline]
pub fn work(
    traits: &Traits,
    flags: Flags,
    density: f64,
    levers: &Levers,
    checkin_time: f64,
) -> f64 {
    time_budget(traits, flags, density, levers, Some(checkin_time)).slack * f64::from(traits.energy)
}

/// Flags that change a person's time budget or the initiative they would start: a volunteer
/// or coalition member (network: check-ins, the network's gate and cycle), a coalition member
/// (chartered time), a task-force member (protected time, scope), an urgency-group member
/// (duties). [`time_class`] numbers their combinations.
const TIME_FLAGS: [(Flags, usize); 4] = [
    (Flags::VOLUNTEER, 1),
    (Flags::COALITION, 2),
    (Flags::TASK_FORCE, 8),
    (Flags::URGENCY, 16),
];
const _: () = assert!(
    Flags::VOLUNTEER.bits() == 32
        && Flags::COALITION.bits() == 64
        && Flags::TASK_FORCE.bits() == 256
        && Flags::URGENCY.bits() == 512
);

/// Number of [`time_class`]es (some unused).
pub const TIME_CLASSES: usize = 32;

/// Which combination of [`TIME_FLAGS`] `flags` holds: the flags' bits shifted down, the others
/// masked out (bit 2, `ONBOARDED`, is never set in a class).
#[inline]
pub fn time_class(flags: Flags) -> usize {
    (usize::from(flags.bits()) >> 5) & 0b1_1011
}

/// Flags with the combination `class` of [`TIME_FLAGS`] (and nothing else).
pub fn class_flags(class: usize) -> Flags {
    let mut flags = Flags::empty();
    for (f, bit) in TIME_FLAGS {
        if class & bit != 0 {
            flags |= f;
        }
    }
    flags
}

/// This week's time budget of each combination of [`TIME_FLAGS`], so that a pass over
/// everyone computes [`slack`] and [`work`] from a person's traits with a table lookup
/// instead of the whole budget; each gives the same bits as the function it stands for.
#[derive(Clone, Copy, Debug)]
pub struct TimeTable {
    /// 1 - process density.
    open: f64,
    /// Nobody has protected time or duties this week: slack is the free time.
    pub plain: bool,
    /// Useful protected time ([`Levers::protected_for`]).
    yields: [f64; TIME_CLASSES],
    /// Duties of someone in no initiative.
    duties: [f64; TIME_CLASSES],
    /// Duties of a member of an initiative they would start now (with its check-ins).
    member_duties: [f64; TIME_CLASSES],
}

impl TimeTable {
    /// The table at process density `density` under this week's `levers`.
    pub fn new(density: f64, levers: &Levers) -> TimeTable {
        if *levers == Levers::NEUTRAL {
            // No intervention in force: no protected time, duties or check-ins for anyone
            // (the table by class would be all zeros; a test holds it to that).
            return TimeTable::zeros(density);
        }
        TimeTable::by_class(density, levers)
    }

    /// The table with nothing protected and no duties.
    fn zeros(density: f64) -> TimeTable {
        TimeTable {
            open: 1.0 - density,
            plain: true,
            yields: [0.0; TIME_CLASSES],
            duties: [0.0; TIME_CLASSES],
            member_duties: [0.0; TIME_CLASSES],
        }
    }

    /// The table worked out class by class.
    #[inline(never)]
    fn by_class(density: f64, levers: &Levers) -> TimeTable {
        let mut t = TimeTable::zeros(density);
        for c in 0..TIME_CLASSES {
            let flags = class_flags(c);
            t.yields[c] = levers.protected_for(flags, density).1;
            t.duties[c] = levers.duties(flags);
            t.member_duties[c] = t.duties[c] + super::leadership::checkins(levers, flags).1;
            t.plain &= t.yields[c] == 0.0 && t.member_duties[c] == 0.0;
        }
        t
    }

    /// Time process leaves free: (1 - operational load) x (1 - density), between 0 and 1
    /// (operational load is drawn between 0 and 0.95).
    #[inline]
    fn free(&self, traits: &Traits) -> f64 {
        (1.0 - f64::from(traits.operational_load)) * self.open
    }

    /// [`slack`] of someone with these traits and flags.
    #[inline]
    pub fn slack(&self, traits: &Traits, flags: Flags) -> f64 {
        let c = time_class(flags);
        (self.free(traits) + self.yields[c] - self.duties[c]).clamp(0.0, 1.0)
    }

    /// [`work`] of someone with these traits and flags in an initiative they would start now
    /// (with the check-ins it would get, [`super::leadership::checkins`]).
    #[inline]
    pub fn work(&self, traits: &Traits, flags: Flags) -> f64 {
        let c = time_class(flags);
        (self.free(traits) + self.yields[c] - self.member_duties[c]).clamp(0.0, 1.0)
            * f64::from(traits.energy)
    }

    /// [`work`] of someone with these traits and flags in an initiative whose check-ins take
    /// `checkin_time` a week (the same operations on the same values, so the same bits).
    #[inline]
    pub fn work_with(&self, traits: &Traits, flags: Flags, checkin_time: f64) -> f64 {
        let c = time_class(flags);
        (self.free(traits) + self.yields[c] - (self.duties[c] + checkin_time)).clamp(0.0, 1.0)
            * f64::from(traits.energy)
    }

    /// [`TimeTable::slack`] when the table is [`plain`](TimeTable::plain): the free time.
    #[inline]
    pub fn plain_slack(&self, traits: &Traits) -> f64 {
        debug_assert!(self.plain && (0.0..=1.0).contains(&traits.operational_load));
        self.free(traits)
    }

    /// [`TimeTable::work`] when the table is [`plain`](TimeTable::plain).
    #[inline]
    pub fn plain_work(&self, traits: &Traits) -> f64 {
        self.plain_slack(traits) * f64::from(traits.energy)
    }
}

/// How this week's working time is used, summed over employees, from the state at the start
/// of the week (who is in which initiative, the coalition and the urgency group); summed in
/// fixed chunks of slots, in parallel for large organizations ([`super::passes`]).
pub fn time_use(
    hot: &[Person],
    traits: &[Traits],
    initiatives: &Initiatives,
    density: f64,
    levers: &Levers,
) -> TimeUse {
    let nobody_else = levers.protected_slack == 0.0
        && levers.coalition_time == 0.0
        && levers.task_force_time == 0.0
        && levers.urgency_time == 0.0;
    if nobody_else {
        // Without protected time or duties only initiative members do leadership work (the
        // same sums, without a pass over everyone).
        let mut total = TimeUse::default();
        for init in initiatives.running() {
            for m in &init.members {
                let (h, t) = (&hot[m.index()], &traits[m.index()]);
                let b = time_budget(t, h.flags, density, levers, Some(init.checkin_time));
                total.leadership += b.leadership;
                total.delivery_lost += b.delivery_lost;
            }
        }
        if total.delivery_lost == 0.0 {
            return total;
        }
    }
    let duty_flags = Flags::COALITION | Flags::TASK_FORCE | Flags::URGENCY;
    super::passes::sum(
        hot.len(),
        |slots| {
            let mut total = TimeUse::default();
            for (h, t) in hot[slots.clone()].iter().zip(&traits[slots]) {
                if !h.flags.contains(Flags::ALIVE) {
                    continue;
                }
                if h.team.is_none()
                    && !h.flags.intersects(duty_flags)
                    && levers.protected_slack == 0.0
                {
                    // No protected time, no duties, no initiative: all of it is operational
                    // work, process and slack.
                    total.operational += f64::from(t.operational_load);
                    continue;
                }
                let initiative = h.team.map(|team| initiatives.get(team).checkin_time);
                let b = time_budget(t, h.flags, density, levers, initiative);
                total.operational += b.operational;
                total.leadership += b.leadership;
                total.delivery_lost += b.delivery_lost;
            }
            total
        },
        |a, b| TimeUse {
            operational: a.operational + b.operational,
            leadership: a.leadership + b.leadership,
            delivery_lost: a.delivery_lost + b.delivery_lost,
        },
    )
}

/// This week's constants of the employee update, computed once per week from the
/// [`WeekContext`].
#[derive(Clone, Debug)]
struct Prepared {
    /// p1, prepared for drawing.
    socialization: Socialization,
    /// spot_rate x opportunity.
    spot_base: f64,
    /// 1 - density: the share of discretionary time process leaves free.
    unprocessed: f64,
    /// Protected time yielded to someone without coalition or task-force duties.
    plain_yield: f64,
    /// 1 - fear.
    unafraid: f64,
    /// The probability of passing the gate without and with a manager, for someone outside
    /// the network and any task force.
    plain_pass: [f64; 2],
    /// The engagement people settle at.
    engagement_target: f32,
    /// The smallest age in f32 that is at least the retirement age (the same comparison).
    retirement_age: f32,
    /// The weekly quit probability at engagement 0 and its slope in engagement, both x 2^32
    /// (to compare with 32 random bits).
    quit_bits: [f64; 2],
    /// No 32 random bits r >= this decide quitting at any engagement: the largest threshold
    /// the quit probability's operations can give (at engagement 0 or 1, as they round
    /// monotonically) rounded up, 0 if it is not a number. The test spares most employees
    /// the threshold's arithmetic, with the same outcomes.
    quit_below: u64,
    /// This week's time table, for the work each employee would put into an initiative.
    table: TimeTable,
}

/// 2^32, the number of values of 32 random bits.
const TWO_TO_32: f64 = 4_294_967_296.0;

/// [`Prepared::quit_below`] of `quit_bits`: quit_bits[0] + quit_bits[1] x e for e in [0, 1]
/// (each operation rounding monotonically) is at most the larger of quit_bits[0] (e = 0, or
/// a negative slope) and quit_bits[0] + quit_bits[1] (e = 1); a draw at or above that, rounded
/// up, never quits. A threshold that is not a number quits no one, as does 0.
fn quit_below(quit_bits: [f64; 2]) -> u64 {
    let most = (quit_bits[0] + quit_bits[1]).max(quit_bits[0]);
    // `as` saturates: a negative bound gives 0, one beyond 2^64 (or infinite) u64::MAX, and a
    // bound that is not a number 0 (its comparisons are all false).
    most.ceil() as u64
}

/// Flags under which [`decision`] differs from its plain form (no awareness, focus, appeal,
/// chartered time, duties or network gate).
const NOT_PLAIN: Flags = Flags::AWARE
    .union(Flags::TASK_FORCE)
    .union(Flags::COALITION)
    .union(Flags::URGENCY)
    .union(Flags::VOLUNTEER);

impl Prepared {
    fn new(ctx: &WeekContext) -> Self {
        let lv = &ctx.levers;
        let plain = Flags::ALIVE;
        let quit_bits = [
            ctx.quit_disengaged * TWO_TO_32,
            (ctx.quit_engaged - ctx.quit_disengaged) * TWO_TO_32,
        ];
        Prepared {
            socialization: Socialization::for_dims(ctx.p1, ctx.m),
            spot_base: ctx.spot_rate * ctx.opportunity,
            unprocessed: 1.0 - ctx.density,
            plain_yield: lv.protected_for(plain, ctx.density).1,
            unafraid: 1.0 - ctx.fear,
            plain_pass: [
                1.0 - ctx.gates.blocking(plain, false),
                1.0 - ctx.gates.blocking(plain, true),
            ],
            engagement_target: ctx.engagement_target as f32,
            retirement_age: {
                let age = ctx.retirement_age as f32;
                if f64::from(age) < ctx.retirement_age {
                    age.next_up()
                } else {
                    age
                }
            },
            quit_bits,
            quit_below: quit_below(quit_bits),
            table: TimeTable::new(ctx.density, lv),
        }
    }

    /// [`decision`] for someone whose flags are plain (no [`NOT_PLAIN`] flag), with the same
    /// operations in the same order, so the same results to the bit.
    /// `free`: the time process leaves free, [`Prepared::free`]; `PLAIN`: nobody has
    /// protected time this week ([`TimeTable::plain`]), so slack is the free time (between 0
    /// and 1, to which adding and subtracting 0 and clamping change nothing).
    #[inline]
    fn plain_decision<const PLAIN: bool>(
        &self,
        p: &Person,
        t: &Traits,
        free: f64,
        has_manager: bool,
        ctx: &WeekContext,
    ) -> (f64, f64) {
        let slack = if PLAIN {
            free
        } else {
            (free + self.plain_yield - 0.0).clamp(0.0, 1.0)
        };
        let spot = (self.spot_base
            * f64::from(t.capabilities[SENSEMAKING])
            * slack
            * ctx.levers.spot_factor)
            .min(1.0);
        let decide = (f64::from(p.initiative) * f64::from(p.engagement) * self.unafraid).min(1.0);
        (spot * decide, self.plain_pass[usize::from(has_manager)])
    }

    /// The time process leaves free to someone with these traits ([`TimeTable`]'s free time,
    /// the same operations).
    #[inline(always)]
    fn free(&self, t: &Traits) -> f64 {
        (1.0 - f64::from(t.operational_load)) * self.unprocessed
    }
}

/// Who decided this week, in slot order: those who decided to act on an opportunity (flagged
/// [`Flags::LAUNCH`]) and those who decided to leave (flagged [`Flags::LEAVING`]). Nothing else
/// sets either flag, so these are everyone who holds it after the update. Also the sums over
/// employees the capacity estimate needs ([`Efforts`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decided {
    /// Slots flagged to launch.
    pub launching: Vec<u32>,
    /// Slots flagged to leave.
    pub leaving: Vec<AgentId>,
    /// Summed work and persistence, for the capacity estimate.
    pub efforts: Efforts,
}

/// The sums of the capacity estimate's first pass (docs/ODD.md 7.2.8), over every employee
/// after their week: what each would put into an initiative they started now, and their
/// persistence. Each chunk of [`CHUNK`] slots sums two slots at a time, in two running sums
/// added at the end (the first taking an odd last slot; a free slot counts 0), and the chunks'
/// sums are added in chunk order, whatever the thread count.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Efforts {
    /// Sum of [`TimeTable::work`] (slack x energy in an initiative started now).
    pub work: f64,
    /// Sum of persistence.
    pub persistence: f64,
}

impl Efforts {
    /// `self`, then `more`'s slots.
    pub fn join(self, more: Efforts) -> Efforts {
        Efforts {
            work: self.work + more.work,
            persistence: self.persistence + more.persistence,
        }
    }
}

/// A slot as the capacity's second pass reads it ([`super::observe::innovation_capacity`]),
/// noted by the weekly update (kept between weeks as scratch space).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Candidate {
    /// Slack x energy the person would put into an initiative they started now
    /// ([`TimeTable::work`]); 0 if the slot holds no employee.
    pub work: f64,
    /// Their weekly launch probability past the gate; 0 if they are in an initiative, or not
    /// an employee.
    pub launch: f32,
    /// Their combination of the flags that shape the initiative ([`time_class`]).
    pub class: u32,
}

/// Updates every employee for one week (in parallel for large organizations, in fixed chunks:
/// each employee's update depends only on their slot, so the result is the same), notes each
/// slot's [`Candidate`] in `candidates` (resized to the slots), and returns who decided to
/// launch and to leave (each chunk's lists joined in chunk order) and the capacity's sums.
pub fn update_all(
    hot: &mut [Person],
    traits: &[Traits],
    managers: &[AgentId],
    ctx: &WeekContext,
    candidates: &mut Vec<Candidate>,
) -> Decided {
    let prepared = Prepared::new(ctx);
    candidates.resize(hot.len(), Candidate::default());
    let run = |first: usize, hot: &mut [Person], out: &mut [Candidate], decided: &mut Decided| {
        let end = first + hot.len();
        let (traits, managers) = (&traits[first..end], &managers[first..end]);
        update_range(first, hot, traits, managers, ctx, &prepared, decided, out)
    };
    if hot.len() >= PARALLEL_FROM {
        let parts: Vec<Decided> = hot
            .par_chunks_mut(CHUNK)
            .zip(candidates.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(c, (chunk, out))| {
                let mut decided = Decided::default();
                decided.efforts = run(c * CHUNK, chunk, out, &mut decided);
                decided
            })
            .collect();
        Decided {
            launching: parts.iter().flat_map(|d| &d.launching).copied().collect(),
            leaving: parts.iter().flat_map(|d| &d.leaving).copied().collect(),
            efforts: parts
                .iter()
                .fold(Efforts::default(), |a, d| a.join(d.efforts)),
        }
    } else {
        // Room for a typical week's deciders from the start (growing from nothing costs
        // more than the rest of the lists' work).
        let mut decided = Decided {
            launching: Vec::with_capacity(hot.len() / 16 + 8),
            leaving: Vec::with_capacity(hot.len() / 64 + 8),
            efforts: Efforts::default(),
        };
        let mut efforts = Efforts::default();
        for (c, (chunk, out)) in hot
            .chunks_mut(CHUNK)
            .zip(candidates.chunks_mut(CHUNK))
            .enumerate()
        {
            efforts = efforts.join(run(c * CHUNK, chunk, out, &mut decided));
        }
        decided.efforts = efforts;
        decided
    }
}

/// Updates the employees of slots `first..` (`hot`, `traits`, `managers` and `out` have the
/// same length; `first` is even) and returns their [`Efforts`]. Uses the processor's
/// population-count instruction where it has one, and its AVX2 and BMI encodings (three-operand
/// vector forms, flag-free shifts and multiplies) where it has those: counting bits is exact
/// either way, and the floating-point operations are the same IEEE operations in the same
/// order (nothing is fused), so the results are the same.
#[allow(clippy::too_many_arguments)]
fn update_range(
    first: usize,
    hot: &mut [Person],
    traits: &[Traits],
    managers: &[AgentId],
    ctx: &WeekContext,
    w: &Prepared,
    decided: &mut Decided,
    out: &mut [Candidate],
) -> Efforts {
    // One of the copies below, with the week's plainness as its constant.
    macro_rules! by_plainness {
        ($copy:ident) => {
            if w.table.plain {
                $copy::<true>(first, hot, traits, managers, ctx, w, decided, out)
            } else {
                $copy::<false>(first, hot, traits, managers, ctx, w, decided, out)
            }
        };
    }
    #[cfg(target_arch = "x86_64")]
    if has_v3() {
        // SAFETY: the processor has the instructions the function is compiled for.
        return unsafe { by_plainness!(update_range_v3) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the processor has the instruction the function is compiled for.
        return unsafe { by_plainness!(update_range_popcnt) };
    }
    by_plainness!(update_range_body)
}

/// Whether the processor has the instructions of [`update_range_v3`] (those of x86-64-v3
/// that matter here; every processor of the last decade).
#[cfg(target_arch = "x86_64")]
pub(super) fn has_v3() -> bool {
    std::arch::is_x86_feature_detected!("popcnt")
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("bmi2")
        && std::arch::is_x86_feature_detected!("lzcnt")
}

/// Defines `$name`, [`update_range_body`] compiled with the target features `$features`
/// (one copy per feature set, which the runtime dispatch in [`update_range`] needs).
macro_rules! update_range_with {
    ($(#[$doc:meta])* $name:ident, $features:literal) => {
        $(#[$doc])*
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        #[allow(clippy::too_many_arguments)]
        fn $name<const PLAIN: bool>(
            first: usize,
            hot: &mut [Person],
            traits: &[Traits],
            managers: &[AgentId],
            ctx: &WeekContext,
            w: &Prepared,
            decided: &mut Decided,
            out: &mut [Candidate],
        ) -> Efforts {
            update_range_body::<PLAIN>(first, hot, traits, managers, ctx, w, decided, out)
        }
    };
}

update_range_with!(
    /// [`update_range_body`] compiled with AVX2, BMI1, BMI2, LZCNT and POPCNT.
    update_range_v3,
    "popcnt,avx2,bmi1,bmi2,lzcnt"
);
update_range_with!(
    /// [`update_range_body`] compiled with the population-count instruction.
    update_range_popcnt,
    "popcnt"
);

/// [`update_range`]'s loop; `PLAIN`: nobody has protected time or duties this week
/// ([`TimeTable::plain`]).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn update_range_body<const PLAIN: bool>(
    first: usize,
    hot: &mut [Person],
    traits: &[Traits],
    managers: &[AgentId],
    ctx: &WeekContext,
    w: &Prepared,
    decided: &mut Decided,
    out: &mut [Candidate],
) -> Efforts {
    let n = hot
        .len()
        .min(traits.len())
        .min(managers.len())
        .min(out.len());
    let (hot, traits, managers, out) = (&mut hot[..n], &traits[..n], &managers[..n], &mut out[..n]);
    // Two slots at a time, in two running sums (as `observe::first_pass`). (Written out, not
    // as a closure, so that it is compiled with the caller's instructions.)
    let (mut work, mut persistence) = ([0.0f64; 2], [0.0f64; 2]);
    // Slot first + k's stream, carried along by one addition a slot.
    let mut stream = Stream::slot(ctx.week_key, first as u64);
    let mut i = first;
    let mut pairs = hot
        .chunks_exact_mut(2)
        .zip(traits.chunks_exact(2))
        .zip(managers.chunks_exact(2))
        .zip(out.chunks_exact_mut(2));
    for (((p, t), m), c) in &mut pairs {
        let (p0, p1) = p.split_at_mut(1);
        let (c0, c1) = c.split_at_mut(1);
        let a = slot::<PLAIN>(
            i,
            stream,
            &mut p0[0],
            &t[0],
            m[0].is_some(),
            ctx,
            w,
            decided,
            &mut c0[0],
        );
        let b = slot::<PLAIN>(
            i + 1,
            stream.slots_on(1),
            &mut p1[0],
            &t[1],
            m[1].is_some(),
            ctx,
            w,
            decided,
            &mut c1[0],
        );
        stream = stream.slots_on(2);
        i += 2;
        work[0] += a.0;
        work[1] += b.0;
        persistence[0] += a.1;
        persistence[1] += b.1;
    }
    if n % 2 == 1 {
        let k = n - 1;
        let (p, t, m) = (&mut hot[k], &traits[k], managers[k].is_some());
        let a = slot::<PLAIN>(first + k, stream, p, t, m, ctx, w, decided, &mut out[k]);
        work[0] += a.0;
        persistence[0] += a.1;
    }
    Efforts {
        work: work[0] + work[1],
        persistence: persistence[0] + persistence[1],
    }
}

/// The week of slot `i` (if it holds an employee), noting its [`Candidate`] in `c`; returns
/// the slot's work and persistence (0 for a free slot).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn slot<const PLAIN: bool>(
    i: usize,
    s: Stream,
    p: &mut Person,
    t: &Traits,
    has_manager: bool,
    ctx: &WeekContext,
    w: &Prepared,
    decided: &mut Decided,
    c: &mut Candidate,
) -> (f64, f64) {
    if !p.flags.contains(Flags::ALIVE) {
        *c = Candidate {
            work: 0.0,
            launch: 0.0,
            class: time_class(p.flags) as u32,
        };
        return (0.0, 0.0);
    }
    let free = w.free(t);
    week::<PLAIN>(i, s, p, t, free, has_manager, ctx, w, decided);
    // The flags that set the class are not ones the week changes.
    let class = time_class(p.flags);
    // TimeTable::work (plain_work in a plain week), with the free time already at hand.
    let table = &w.table;
    let work = if PLAIN {
        free * f64::from(t.energy)
    } else {
        (free + table.yields[class] - table.member_duties[class]).clamp(0.0, 1.0)
            * f64::from(t.energy)
    };
    // The week left a launch rate only to someone free (in no initiative, not leaving).
    *c = Candidate {
        work,
        launch: p.launch_rate,
        class: class as u32,
    };
    (work, f64::from(t.persistence))
}

/// One employee's week (in slot `i`); [`update_all`] does this for everyone.
pub fn update(i: usize, p: &mut Person, t: &Traits, has_manager: bool, ctx: &WeekContext) {
    if p.flags.contains(Flags::ALIVE) {
        let mut decided = Decided::default();
        let w = Prepared::new(ctx);
        let s = Stream::slot(ctx.week_key, i as u64);
        week::<false>(i, s, p, t, w.free(t), has_manager, ctx, &w, &mut decided);
    }
}

/// One (current) employee's week; `free` is their free time ([`Prepared::free`]). Their
/// draws, in this order, from `s`, the stream of slot `i` under the week's key: the coins of their
/// action (one 64-bit draw, only if some belief is 0), socialization (one draw if any belief
/// differs from a non-zero code, plus one per belief that moves), then one 64-bit draw whose
/// low 32 bits decide quitting and whose high 32 bits decide acting on an opportunity (each
/// probability then exact to 2.4e-10).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn week<const PLAIN: bool>(
    i: usize,
    mut s: Stream,
    p: &mut Person,
    t: &Traits,
    free: f64,
    has_manager: bool,
    ctx: &WeekContext,
    w: &Prepared,
    decided: &mut Decided,
) {
    // Knowledge: March's act and socialize stages.
    let (action, performance) = act(&p.beliefs, ctx.reality, ctx.mask, &mut s);
    p.action = action;
    p.performance = performance;
    socialize(
        &mut p.beliefs,
        &ctx.code,
        ctx.mask,
        &w.socialization,
        &mut s,
    );
    // Time passes.
    p.age += 1.0 / 52.0;
    p.tenure += 1;
    // Engagement settles toward what the culture supports (half-life about 8 months);
    // initiative recovers toward the person's own propensity (half-life about 1.3 years).
    p.engagement += 0.02 * (w.engagement_target - p.engagement);
    p.initiative += 0.01 * (t.initiative - p.initiative);
    let word = s.next_u64();
    // Leaving: retirement, or quitting more often the less engaged one is: with probability
    // quit_disengaged + (quit_engaged - quit_disengaged) x engagement, from 32 random bits.
    if i != ctx.ceo {
        let r = word as u32;
        // Only a draw below `quit_below` can be below the threshold, whatever the engagement.
        let quits = u64::from(r) < w.quit_below && {
            let e = f64::from(p.engagement).clamp(0.0, 1.0);
            let quit_bits = w.quit_bits[0] + w.quit_bits[1] * e;
            f64::from(r) < quit_bits
        };
        if p.age >= w.retirement_age || quits {
            p.flags.insert(Flags::LEAVING);
            decided.leaving.push(AgentId(i as u32));
        }
    }
    // Leadership: spot an opportunity (sensemaking, slack, the environment, awareness) and
    // decide to act on it (initiative, engagement, fear).
    p.flags.remove(Flags::LAUNCH);
    p.launch_rate = if p.is_free() {
        let (act_now, pass) = if p.flags.intersects(NOT_PLAIN) {
            decision(p, t, has_manager, ctx)
        } else {
            w.plain_decision::<PLAIN>(p, t, free, has_manager, ctx)
        };
        if chance32((word >> 32) as u32, act_now) {
            p.flags.insert(Flags::LAUNCH);
            decided.launching.push(i as u32);
        }
        (act_now * pass) as f32
    } else {
        0.0
    };
}

/// A free employee's weekly probability of spotting an opportunity and deciding to act on it,
/// and the probability that it then passes the gate that applies to them. No randomness.
pub fn decision(p: &Person, t: &Traits, has_manager: bool, ctx: &WeekContext) -> (f64, f64) {
    let aware = p.flags.contains(Flags::AWARE);
    let lv = &ctx.levers;
    let focus = if aware { lv.aware_spot_factor } else { 1.0 }
        * if p.flags.contains(Flags::TASK_FORCE) {
            TASK_FORCE_FOCUS
        } else {
            1.0
        };
    let spot = (ctx.spot_rate
        * ctx.opportunity
        * f64::from(t.capabilities[SENSEMAKING])
        * slack(t, p.flags, ctx.density, lv)
        * focus
        * lv.spot_factor)
        .min(1.0);
    let appeal = if aware { lv.aware_decide_factor } else { 1.0 };
    let decide =
        (f64::from(p.initiative) * f64::from(p.engagement) * (1.0 - ctx.fear) * appeal).min(1.0);
    let pass = 1.0 - ctx.gates.blocking(p.flags, has_manager);
    (spot * decide, pass)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::march1991::mask_of;
    use crate::rng::{Draw, SimRng, stream_seed};

    /// No draw at or above `quit_below` is below any engagement's quit threshold, and the
    /// bound is tight (the draw just below it is below the threshold at some engagement).
    #[test]
    fn quit_below_bounds_every_threshold() {
        let e: Vec<f64> = (0..=1000)
            .map(|k| f64::from(k as f32 / 1000.0))
            .chain([0.0, 1.0, f64::from(1.0f32.next_down())])
            .collect();
        for (engaged, disengaged) in [
            (0.002, 0.01),
            (0.01, 0.002),
            (0.003, 0.003),
            (0.0, 0.0),
            (1.0, 0.5),
            (0.5, 2.0),
            (1e-9, 0.0),
        ] {
            let bits = [disengaged * TWO_TO_32, (engaged - disengaged) * TWO_TO_32];
            let below = quit_below(bits);
            let threshold = |e: f64| bits[0] + bits[1] * e;
            let most = e.iter().map(|&e| threshold(e)).fold(f64::MIN, f64::max);
            assert!(below as f64 >= most, "{engaged} {disengaged}");
            if most > 0.0 {
                assert!(((below - 1) as f64) < most, "{engaged} {disengaged}: tight");
            } else {
                assert_eq!(below, 0);
            }
        }
        assert_eq!(quit_below([f64::NAN, 1.0]), 0);
        assert_eq!(quit_below([f64::INFINITY, 0.0]), u64::MAX);
    }

    /// With neutral levers the table is all zeros, as working it out class by class gives.
    #[test]
    fn the_neutral_time_table_is_the_table_by_class() {
        for density in [0.0, 1e-9, 0.35, 0.9, 1.0] {
            let (fast, slow) = (
                TimeTable::new(density, &Levers::NEUTRAL),
                TimeTable::by_class(density, &Levers::NEUTRAL),
            );
            let bits = |t: &TimeTable| {
                let mut b = vec![t.open.to_bits(), u64::from(t.plain)];
                for table in [&t.yields, &t.duties, &t.member_duties] {
                    b.extend(table.iter().map(|v| v.to_bits()));
                }
                b
            };
            assert_eq!(bits(&fast), bits(&slow), "density {density}");
        }
    }

    /// The time table gives [`slack`] and [`work`] (the time budget of docs/ODD.md 7.2.4) to
    /// the bit, for every class of flags, under levers that give each class its own time.
    #[test]
    fn the_time_table_is_the_time_budget() {
        let mut busy = Levers::NEUTRAL;
        busy.protected_slack = 0.1;
        busy.coalition_time = 0.15;
        busy.coalition_yield = 0.6;
        busy.urgency_time = 0.05;
        busy.task_force_time = 0.2;
        busy.checkin_time = 0.03;
        busy.cycle_weeks = 13.0;
        let mut rng = SimRng::from_seed(5);
        let mut checked = 0;
        for levers in [Levers::NEUTRAL, busy] {
            for density in [0.0, 0.35, 0.9, 1.0] {
                let table = TimeTable::new(density, &levers);
                assert_eq!(table.plain, levers == Levers::NEUTRAL);
                for class in 0..TIME_CLASSES {
                    let flags = class_flags(class) | Flags::ALIVE | Flags::AWARE;
                    for _ in 0..20 {
                        let t = Traits {
                            energy: rng.uniform() as f32,
                            operational_load: (0.95 * rng.uniform()) as f32,
                            ..Traits::default()
                        };
                        let checkin = super::super::leadership::checkins(&levers, flags).1;
                        let extra = rng.uniform() * 0.1;
                        let pairs = [
                            (table.slack(&t, flags), slack(&t, flags, density, &levers)),
                            (
                                table.work(&t, flags),
                                work(&t, flags, density, &levers, checkin),
                            ),
                            (
                                table.work_with(&t, flags, extra),
                                work(&t, flags, density, &levers, extra),
                            ),
                        ];
                        for (from_table, budget) in pairs {
                            assert_eq!(
                                from_table.to_bits(),
                                budget.to_bits(),
                                "class {class}, density {density}"
                            );
                        }
                        if table.plain {
                            assert_eq!(table.plain_slack(&t), pairs[0].1);
                            assert_eq!(table.plain_work(&t), pairs[1].1);
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 4 * TIME_CLASSES * 20);
    }

    /// A week with process, protected time, fear, gates, socialization and quitting.
    fn context() -> WeekContext {
        let mut levers = Levers::NEUTRAL;
        levers.protected_slack = 0.1;
        levers.spot_factor = 1.3;
        let mut rng = SimRng::from_seed(3);
        let code = crate::march1991::random_beliefs(30, &mut rng);
        WeekContext {
            seed: 1,
            step: 7,
            week_key: stream_seed(1, &[7]),
            ceo: 0,
            code,
            reality: rng.bits(),
            m: 30,
            mask: mask_of(30),
            p1: 0.05,
            density: 0.4,
            levers,
            opportunity: 1.2,
            spot_rate: 0.3,
            fear: 0.25,
            gates: Gates {
                block: 0.3,
                network_block: 0.1,
            },
            engagement_target: 0.55,
            quit_engaged: 0.002,
            quit_disengaged: 0.01,
            retirement_age: 65.0,
        }
    }

    /// Random employees (a few not alive, some aware or in the network, some in a team).
    fn staff(n: usize) -> (Vec<Person>, Vec<Traits>, Vec<AgentId>) {
        let mut rng = SimRng::from_seed(11);
        let mut hot = Vec::new();
        let mut traits = Vec::new();
        let mut managers = Vec::new();
        for i in 0..n {
            let mut flags = Flags::ALIVE;
            for (share, flag) in [
                (0.02, Flags::ALIVE),
                (0.1, Flags::AWARE),
                (0.05, Flags::VOLUNTEER),
                (0.03, Flags::TASK_FORCE),
                (0.02, Flags::COALITION),
                (0.02, Flags::URGENCY),
                (0.05, Flags::ONBOARDED),
            ] {
                if rng.chance(share) {
                    flags.toggle(flag);
                }
            }
            // Dead slots at fixed places too, so that every prefix of 6 or more slots has
            // one whatever the stream draws.
            if i % 37 == 5 {
                flags.remove(Flags::ALIVE);
            }
            hot.push(Person {
                beliefs: crate::march1991::random_beliefs(30, &mut rng),
                engagement: rng.uniform() as f32,
                initiative: rng.uniform() as f32,
                age: 20.0 + 46.0 * rng.uniform() as f32,
                team: rng
                    .chance(0.05)
                    .then(|| crate::lifecycle::people::TeamId::new(0)),
                flags,
                ..Person::default()
            });
            traits.push(Traits {
                capabilities: [rng.uniform() as f32; 4],
                initiative: rng.uniform() as f32,
                energy: rng.uniform() as f32,
                persistence: rng.uniform() as f32,
                operational_load: rng.uniform() as f32,
            });
            managers.push(if i > 0 && rng.chance(0.9) {
                AgentId(0)
            } else {
                AgentId::NONE
            });
        }
        (hot, traits, managers)
    }

    #[test]
    fn the_plain_decision_is_the_decision_to_the_bit() {
        let mut quiet = context();
        quiet.levers.protected_slack = 0.0;
        for ctx in [context(), quiet] {
            plain_decisions(&ctx);
        }
    }

    /// [`the_plain_decision_is_the_decision_to_the_bit`] in the week `ctx`.
    fn plain_decisions(ctx: &WeekContext) {
        let ctx = *ctx;
        let w = Prepared::new(&ctx);
        assert_eq!(w.table.plain, ctx.levers.protected_slack == 0.0);
        let (hot, traits, managers) = staff(5_000);
        let mut plain = 0;
        for ((p, t), m) in hot.iter().zip(&traits).zip(&managers) {
            if !p.flags.intersects(NOT_PLAIN) {
                plain += 1;
                let has_manager = m.is_some();
                let (a, b) = w.plain_decision::<false>(p, t, w.free(t), has_manager, &ctx);
                let (c, d) = decision(p, t, has_manager, &ctx);
                assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), d.to_bits()));
                if w.table.plain {
                    let (e, f) = w.plain_decision::<true>(p, t, w.free(t), has_manager, &ctx);
                    assert_eq!((a.to_bits(), b.to_bits()), (e.to_bits(), f.to_bits()));
                }
            }
        }
        assert!(plain > 3_000);
    }

    /// The parallel update (in fixed chunks) gives exactly the sequential one, and draws
    /// happen: beliefs move, people leave and decide to act.
    #[test]
    fn the_parallel_update_is_the_sequential_one() {
        let ctx = context();
        let n = PARALLEL_FROM + CHUNK / 2 + 1;
        let (start, traits, managers) = staff(n);
        let mut parallel = start.clone();
        let decided = update_all(&mut parallel, &traits, &managers, &ctx, &mut Vec::new());
        let mut sequential = start.clone();
        for (i, p) in sequential.iter_mut().enumerate() {
            update(i, p, &traits[i], managers[i].is_some(), &ctx);
        }
        assert!(parallel == sequential);
        // The lists it returns are everyone flagged, in slot order.
        let flagged = |f: Flags| -> Vec<u32> {
            (0..n as u32)
                .filter(|&i| sequential[i as usize].flags.contains(f))
                .collect()
        };
        assert_eq!(decided.launching, flagged(Flags::LAUNCH));
        let leaving: Vec<u32> = decided.leaving.iter().map(|a| a.0).collect();
        assert_eq!(leaving, flagged(Flags::LEAVING));
        let mut small = start[..CHUNK + 5].to_vec();
        let few = update_all(
            &mut small,
            &traits[..CHUNK + 5],
            &managers[..CHUNK + 5],
            &ctx,
            &mut Vec::new(),
        );
        assert_eq!(
            &few.launching[..],
            &decided.launching[..few.launching.len()]
        );
        assert_eq!(&few.leaving[..], &decided.leaving[..few.leaving.len()]);
        assert!(decided.leaving.len() > few.leaving.len());
        let count = |f: &dyn Fn(&Person, &Person) -> bool| {
            start.iter().zip(&parallel).filter(|(a, b)| f(a, b)).count()
        };
        assert!(count(&|a, b| a.beliefs != b.beliefs) > 100);
        assert!(count(&|_, b| b.flags.contains(Flags::LEAVING)) > 20);
        assert!(count(&|_, b| b.flags.contains(Flags::LAUNCH)) > 20);
        assert_eq!(count(&|a, b| !a.flags.contains(Flags::ALIVE) && a != b), 0);
    }

    /// The capacity's first pass made by the update gives the candidates and sums of the
    /// separate pass over the updated employees (`observe::first_pass_slots`), to the bit:
    /// free slots, initiative members, leavers, the network, task forces, the coalition and the
    /// urgency group, with and without protected time and duties, in one chunk and in many
    /// (in parallel), with odd lengths.
    #[test]
    fn the_update_makes_the_capacity_first_pass() {
        let mut busy = context();
        busy.levers.coalition_time = 0.2;
        busy.levers.task_force_time = 0.1;
        busy.levers.urgency_time = 0.05;
        busy.levers.checkin_time = 0.03;
        let mut plain = context();
        plain.levers = Levers::NEUTRAL;
        let n = PARALLEL_FROM + 2 * CHUNK + 7;
        let (start, traits, managers) = staff(n);
        for ctx in [context(), busy, plain] {
            assert_eq!(
                TimeTable::new(ctx.density, &ctx.levers).plain,
                ctx.levers == Levers::NEUTRAL
            );
            // Many odd lengths, so that a different order of the sums shows in their bits.
            for len in [n, CHUNK + 3].into_iter().chain((101..160).step_by(2)) {
                let mut hot = start[..len].to_vec();
                let mut fused = vec![Candidate::default(); 3];
                let decided =
                    update_all(&mut hot, &traits[..len], &managers[..len], &ctx, &mut fused);
                let mut apart = Vec::new();
                let sums =
                    super::super::observe::first_pass_slots(&hot, &traits[..len], &ctx, &mut apart);
                assert_eq!(fused.len(), len);
                assert!(fused == apart, "{len} slots");
                assert_eq!(decided.efforts.work.to_bits(), sums.work.to_bits());
                assert_eq!(
                    decided.efforts.persistence.to_bits(),
                    sums.persistence.to_bits()
                );
                // Every kind of slot is there: dead ones, initiative members and leavers (no
                // launch rate), other classes.
                let kinds = |f: &dyn Fn(&Person) -> bool| hot.iter().filter(|p| f(p)).count();
                assert!(kinds(&|p| !p.flags.contains(Flags::ALIVE)) > 0);
                assert!(kinds(&|p| p.team.is_some() && p.flags.contains(Flags::ALIVE)) > 0);
                assert!(!decided.leaving.is_empty() || len < 1000);
                assert!(kinds(&|p| p.flags.contains(Flags::COALITION)) > 0 || len < 1000);
                assert!(kinds(&|p| time_class(p.flags) != 0) > 0);
                assert!(fused.iter().filter(|c| c.launch > 0.0).count() > len / 2);
            }
        }
    }
}
