//! How soon memory the program frees goes back to the system: mimalloc's purge delay, the one
//! allocator setting that trades the site build's speed against the impact report's peak memory.
//!
//! The executable makes mimalloc its allocator and sets the delay to 1 s (see `main.rs`). Pages
//! are rendered and compressed with tables freed and taken again for every page: with a short
//! delay those go back to the system between pages and are faulted in again (10,000-page blog
//! corpus, `bench/ssg.sh`: 20 ms 3.1 s and 240,000 page faults, 1 s 2.8 s and 45,000). Reading
//! and estimating the survey frees large blocks that are not taken again: with a long delay they
//! stay counted in the process's memory (1,000,000 survey rows, `bench/impact.sh`: 20 ms about
//! 240 MiB, 1 s about 360 MiB). So the impact analysis runs inside [`ReturnFreedSoon`].
//!
//! Where mimalloc is not the allocator (the tests), its settings change nothing.

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`, v3), in milliseconds.
pub const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The variable that sets the purge delay for a run; while it is set nothing here changes it.
pub const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// The purge delay while the survey is read and estimated, in milliseconds.
pub const SOON_MS: std::ffi::c_long = 20;

/// The purge delay otherwise (building pages, serving), in milliseconds.
pub const LATER_MS: std::ffi::c_long = 1000;

/// While one lives, memory freed goes back to the system [`SOON_MS`] after it is freed; when
/// the last one alive is dropped the delay is what it was before the first. Nothing changes when
/// the user set the delay ([`PURGE_DELAY_VARIABLE`], or mimalloc's older `MIMALLOC_RESET_DELAY`).
#[must_use = "the short delay lasts while the value lives"]
pub struct ReturnFreedSoon {
    active: bool,
}

/// How many [`ReturnFreedSoon`] live, and the delay before the first.
static ALIVE: std::sync::Mutex<(usize, std::ffi::c_long)> = std::sync::Mutex::new((0, 0));

impl ReturnFreedSoon {
    /// Shortens the purge delay until the value is dropped.
    pub fn new() -> ReturnFreedSoon {
        let user_set = [PURGE_DELAY_VARIABLE, "MIMALLOC_RESET_DELAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        ReturnFreedSoon::unless(user_set)
    }

    fn unless(user_set: bool) -> ReturnFreedSoon {
        if user_set {
            return ReturnFreedSoon { active: false };
        }
        let mut alive = ALIVE.lock().unwrap_or_else(|e| e.into_inner());
        if alive.0 == 0 {
            // SAFETY: reads and sets one of mimalloc's documented options.
            alive.1 = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, SOON_MS) };
            // A purge already scheduled (memory freed while the site was read) would otherwise
            // set the time of the next one, the old delay from then: what is waiting goes back
            // now, and every later purge is scheduled with the short delay.
            // SAFETY: mimalloc's documented collection of freed memory; any thread may call it.
            unsafe { libmimalloc_sys::mi_collect(true) };
        }
        alive.0 += 1;
        ReturnFreedSoon { active: true }
    }
}

impl Default for ReturnFreedSoon {
    fn default() -> Self {
        ReturnFreedSoon::new()
    }
}

impl Drop for ReturnFreedSoon {
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
    fn the_short_delay_lasts_while_a_guard_lives_and_yields_to_the_user() {
        let before = delay();
        assert_ne!(before, SOON_MS);
        {
            let _outer = ReturnFreedSoon::unless(false);
            assert_eq!(delay(), SOON_MS);
            let inner = ReturnFreedSoon::unless(false);
            drop(inner);
            assert_eq!(delay(), SOON_MS, "the outer guard still lives");
        }
        assert_eq!(delay(), before);
        let _theirs = ReturnFreedSoon::unless(true);
        assert_eq!(delay(), before, "a delay the user set is kept");
    }
}
