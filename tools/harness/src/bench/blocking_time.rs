//! Total blocking time, counted as Lighthouse counts it for a page load.
//!
//! A long task is a main-thread task of more than 50 ms, as the page's Long Tasks API reports
//! it (`PerformanceObserver` of type `longtask`, buffered, observing from before the page's
//! first script). Input that arrives during one waits for it to end, so each long task blocks
//! for its time over 50 ms. The total counts the tasks from first contentful paint to time to
//! interactive: the end of the last long task before the page has been quiet (no long task,
//! no request in flight or finishing) for a whole window after the app is ready (see
//! `page_load`). A task that began before first contentful paint counts only from then on,
//! and only if that part alone is over 50 ms (Lighthouse clips it the same way).

/// Tasks up to this long do not block input noticeably.
pub const LONG_TASK_MS: f64 = 50.0;

/// One long task, in milliseconds since navigation start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongTask {
    pub start: f64,
    pub duration: f64,
}

impl LongTask {
    pub fn end(&self) -> f64 {
        self.start + self.duration
    }
}

/// The blocking time of `tasks` (all of those seen until the page went quiet) after `fcp`.
pub fn total_blocking_time(tasks: &[LongTask], fcp: f64) -> f64 {
    tasks
        .iter()
        .map(|task| task.end() - task.start.max(fcp))
        .filter(|&counted| counted > LONG_TASK_MS)
        .map(|counted| counted - LONG_TASK_MS)
        // (Not `sum`: an empty float sum is -0.0, which prints as "-0.0 ms".)
        .fold(0.0, |total, blocking| total + blocking)
}

/// Lighthouse's time to interactive on these tasks: the end of the last long task, or first
/// contentful paint when none ends after it.
pub fn time_to_interactive(tasks: &[LongTask], fcp: f64) -> f64 {
    tasks.iter().map(LongTask::end).fold(fcp, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(start: f64, duration: f64) -> LongTask {
        LongTask { start, duration }
    }

    #[test]
    fn counts_each_tasks_time_over_fifty_ms_after_first_paint() {
        let tasks = [task(500.0, 120.0), task(900.0, 51.0), task(1_000.0, 300.0)];
        assert_eq!(total_blocking_time(&tasks, 400.0), 70.0 + 1.0 + 250.0);
        assert_eq!(time_to_interactive(&tasks, 400.0), 1_300.0);
    }

    #[test]
    fn a_task_across_first_paint_counts_from_it() {
        // 100 ms before FCP and 80 after: 30 ms blocking.
        assert_eq!(total_blocking_time(&[task(300.0, 180.0)], 400.0), 30.0);
        // Only 40 ms after FCP: not blocking.
        assert_eq!(total_blocking_time(&[task(300.0, 140.0)], 400.0), 0.0);
        // Wholly before FCP.
        assert_eq!(total_blocking_time(&[task(100.0, 200.0)], 400.0), 0.0);
    }

    #[test]
    fn no_long_task_no_blocking() {
        assert!(total_blocking_time(&[], 400.0).is_sign_positive());
        assert_eq!(time_to_interactive(&[], 400.0), 400.0);
    }
}
