//! Numbered pagination with stable URLs (`?page=N`).

use leptos::prelude::*;

use crate::models::Pager;

/// The page numbers to show around `page`: the first, the last, two on each side, and gaps
/// (`None`) between.
pub fn window(page: u64, pages: u64) -> Vec<Option<u64>> {
    let mut shown: Vec<u64> = vec![1, pages];
    shown.extend(page.saturating_sub(2).max(1)..=(page + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            out.push(None);
        }
        out.push(Some(n));
        last = n;
    }
    out
}

#[component]
pub fn Pagination(pager: Pager) -> impl IntoView {
    if pager.pages <= 1 {
        return view! { <p class="pager-summary">{format!("共 {} 条", pager.total)}</p> }
            .into_any();
    }
    let (page, pages) = (pager.page, pager.pages);
    let numbers = window(page, pages)
        .into_iter()
        .map(|n| match n {
            Some(n) if n == page => view! {
                <li>
                    <span class="pager-current" aria-current="page">
                        {n}
                    </span>
                </li>
            }
            .into_any(),
            Some(n) => view! {
                <li>
                    <a href=pager.href(n)>{n}</a>
                </li>
            }
            .into_any(),
            None => view! {
                <li class="pager-gap" aria-hidden="true">
                    "…"
                </li>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <nav class="pager" aria-label="分页">
            <ul>
                {(page > 1)
                    .then(|| {
                        view! {
                            <li>
                                <a href=pager.href(page - 1) rel="prev">
                                    "上一页"
                                </a>
                            </li>
                        }
                    })} {numbers}
                {(page < pages)
                    .then(|| {
                        view! {
                            <li>
                                <a href=pager.href(page + 1) rel="next">
                                    "下一页"
                                </a>
                            </li>
                        }
                    })}
            </ul>
            <p class="pager-summary">
                {format!("共 {} 条，第 {} / {} 页", pager.total, page, pages)}
            </p>
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_show_ends_neighbours_and_gaps() {
        assert_eq!(window(1, 1), vec![Some(1)]);
        assert_eq!(window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            window(6, 20),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            window(20, 20),
            vec![Some(1), None, Some(18), Some(19), Some(20)]
        );
        assert_eq!(
            window(2, 5),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
    }
}
