//! Putting things in order, one way for the whole app. Each `sort_by_key` on another type
//! or with another key function is one more copy of the standard library's sort in the wasm
//! (about 1 KB brotli each), so every ordering here sorts the same key type.

/// Where an item goes: ascending by the first number, then the second, then the third.
pub type Rank = (i64, i64, usize);

/// A rank with the item's place before sorting, which breaks ties (the order is stable).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    rank: Rank,
    at: usize,
}

/// `items` in ascending order of `rank`; items of equal rank keep their order.
pub fn ordered<T>(items: Vec<T>, rank: impl Fn(&T) -> Rank) -> Vec<T> {
    let mut places: Vec<Ranked> = items
        .iter()
        .enumerate()
        .map(|(at, item)| Ranked {
            rank: rank(item),
            at,
        })
        .collect();
    // (Unstable, but no two places are equal: `at` differs.)
    places.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    places
        .iter()
        .filter_map(|place| slots.get_mut(place.at).and_then(Option::take))
        .collect()
}

/// The rank of a time (epoch milliseconds) for newest first.
pub fn newest_first(epoch_ms: i64) -> i64 {
    epoch_ms.saturating_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_each_number_in_turn() {
        let items = vec![(2, 0, 0), (1, 5, 0), (1, 2, 9), (1, 2, 3)];
        assert_eq!(
            ordered(items, |&r| r),
            vec![(1, 2, 3), (1, 2, 9), (1, 5, 0), (2, 0, 0)]
        );
    }

    #[test]
    fn items_of_equal_rank_keep_their_order() {
        let items = vec!["b1", "a1", "b2", "a2", "b3"];
        let by_letter = |s: &&str| (i64::from(s.as_bytes()[0]), 0, 0);
        assert_eq!(
            ordered(items, by_letter),
            vec!["a1", "a2", "b1", "b2", "b3"]
        );
    }

    #[test]
    fn newest_first_reverses_time_and_never_overflows() {
        let times = vec![5, i64::MIN, -3, i64::MAX, 0];
        assert_eq!(
            ordered(times, |&t| (newest_first(t), 0, 0)),
            vec![i64::MAX, 5, 0, -3, i64::MIN]
        );
    }
}
