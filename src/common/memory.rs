//! How soon memory the program frees goes back to the system: mimalloc's purge delay, the one
//! allocator setting that trades the site build's speed against the impact report's peak memory.
//!
//! The executable makes mimalloc its allocator and sets the delay to 20 ms (see `main.rs`).
//! Reading and estimating the survey frees large blocks that are not taken again: with a long
//! delay they stay counted in the process's memory (1,000,000 survey rows, `bench/impact.sh`:
//! 20 ms about 240 MiB, 1 s about 360 MiB). Pages are rendered and compressed with tables freed
//! and taken again for every page: with a short delay those go back to the system between pages
//! and are faulted in again (10,000-page blog corpus, `bench/ssg.sh`: 20 ms 3.1 s and 240,000
//! page faults, 1 s 2.8 s and 45,000). So pages are rendered inside [`KeepFreedLonger`].
//!
//! The delay is lengthened for the later phase, not shortened for the earlier one: mimalloc
//! schedules a purge once, at the delay of the moment, and later frees wait for it, so a purge
//! scheduled with 1 s just before the survey is read would hold its memory for that second.
//!
//! Where mimalloc is not the allocator (the tests), its settings change nothing.

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`, v3), in milliseconds.
pub const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The variable that sets the purge delay for a run; while it is set nothing here changes it.
pub const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// The purge delay, in milliseconds, except while pages are rendered.
pub const SOON_MS: std::ffi::c_long = 20;

/// The purge delay while pages are rendered, in milliseconds.
pub const LATER_MS: std::ffi::c_long = 1000;

/// While one lives, memory freed goes back to the system [`LATER_MS`] after it is freed; when
/// the last one alive is dropped the delay is what it was before the first. Nothing changes when
/// the user set the delay ([`PURGE_DELAY_VARIABLE`], or mimalloc's older `MIMALLOC_RESET_DELAY`).
#[must_use = "the long delay lasts while the value lives"]
pub struct KeepFreedLonger {
    active: bool,
}

/// How many [`KeepFreedLonger`] live, and the delay before the first.
static ALIVE: std::sync::Mutex<(usize, std::ffi::c_long)> = std::sync::Mutex::new((0, 0));

impl KeepFreedLonger {
    /// Lengthens the purge delay until the value is dropped.
    pub fn new() -> KeepFreedLonger {
        let user_set = [PURGE_DELAY_VARIABLE, "MIMALLOC_RESET_DELAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        KeepFreedLonger::unless(user_set)
    }

    fn unless(user_set: bool) -> KeepFreedLonger {
        if user_set {
            return KeepFreedLonger { active: false };
        }
        let mut alive = ALIVE.lock().unwrap_or_else(|e| e.into_inner());
        if alive.0 == 0 {
            // SAFETY: reads and sets one of mimalloc's documented options.
            alive.1 = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, LATER_MS) };
        }
        alive.0 += 1;
        KeepFreedLonger { active: true }
    }
}

impl Default for KeepFreedLonger {
    fn default() -> Self {
        KeepFreedLonger::new()
    }
}

impl Drop for KeepFreedLonger {
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        let mut alive = ALIVE.lock().unwrap_or_else(|e| e.into_inner());
        alive.0 -= 1;
        if alive.0 == 0 {
            // SAFETY: sets one of mimalloc's documented options back.
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, alive.1) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay() -> std::ffi::c_long {
        // SAFETY: reads one of mimalloc's documented options.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    #[test]
    fn the_long_delay_lasts_while_a_guard_lives_and_yields_to_the_user() {
        // (Other tests may hold guards at the same time: only what holds whatever they do.)
        let outer = KeepFreedLonger::unless(false);
        assert_eq!(delay(), LATER_MS);
        let inner = KeepFreedLonger::unless(false);
        drop(inner);
        assert_eq!(delay(), LATER_MS, "the outer guard still lives");
        drop(outer);
        assert!(
            !KeepFreedLonger::unless(true).active,
            "a delay the user set is kept"
        );
    }
}
