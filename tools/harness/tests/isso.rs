//! The real Isso 0.14.0 on loopback, through `IssoServer`: what the comment thread relies on
//! (the JSON it reads, the author's credential, editing, paging, likes, moderation, CORS)
//! and that the launcher can stop it and start it again. `scripts/test.sh` installs Isso
//! first (`ensure_isso`); without it every test here fails, saying how to install it.

use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use garage_harness::isso::{IssoGuard, IssoResponse};
use garage_harness::{IssoOptions, IssoServer};
use serde_json::{json, Value};

/// The site's origin: Isso answers CORS for it. Nothing listens there, so Isso cannot fetch
/// a page's title and a thread's first comment must bring one.
const SITE: &str = "http://127.0.0.1:9";
const JSON: (&str, &str) = ("Content-Type", "application/json");
const ORIGIN: (&str, &str) = ("Origin", SITE);
/// Asks Isso for JSON errors (`{"message": ...}`) where it can give them.
const ACCEPT_JSON: (&str, &str) = ("Accept", "application/json");

/// How long a time-bound condition may take beyond its due time.
const SLACK: Duration = Duration::from_secs(10);

fn start(options: IssoOptions) -> IssoServer {
    IssoServer::start(options).unwrap_or_else(|e| panic!("starting Isso: {e}"))
}

fn isso() -> IssoServer {
    start(IssoOptions::for_site(SITE))
}

fn send(
    isso: &IssoServer,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> IssoResponse {
    isso.request(method, target, headers, body.as_bytes())
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
}

/// `POST /new?uri=...` as the app sends it (from the site's origin, as JSON).
fn post(isso: &IssoServer, uri: &str, comment: Value) -> IssoResponse {
    send(
        isso,
        "POST",
        &format!("/new?uri={uri}"),
        &[ORIGIN, JSON, ACCEPT_JSON],
        &comment.to_string(),
    )
}

/// Posts and expects it to be taken: the new comment's id and the `Cookie` value that
/// proves its authorship.
fn post_ok(isso: &IssoServer, uri: &str, comment: Value) -> (u64, String) {
    let response = post(isso, uri, comment);
    assert!(
        matches!(response.status, 201 | 202),
        "{} {}",
        response.status,
        response.body
    );
    let id = response.json()["id"].as_u64().expect("an id");
    (id, response.cookie().expect("a Set-Cookie").to_owned())
}

/// `GET /?uri=...&plain=1` plus `query`: the thread as JSON.
fn thread(isso: &IssoServer, uri: &str, query: &str) -> Value {
    let response = send(
        isso,
        "GET",
        &format!("/?uri={uri}&plain=1{query}"),
        &[ORIGIN],
        "",
    );
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

/// The ids of a list of comments (`replies`).
fn ids(list: &Value) -> Vec<u64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].as_u64().expect("an id"))
        .collect()
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// Polls `condition` until it holds; panics with `what` after `within`.
fn wait_until(within: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !condition() {
        assert!(Instant::now() < deadline, "waited {within:?} for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_thread_nobody_commented_on_is_an_empty_list_not_a_404() {
    let isso = isso();
    let empty = thread(&isso, "/articles/nobody", "");
    assert_eq!(empty["id"], Value::Null);
    assert_eq!(empty["total_replies"], 0);
    assert_eq!(empty["hidden_replies"], 0);
    assert_eq!(empty["replies"], json!([]));
}

#[test]
fn a_new_comment_comes_back_rendered_and_is_listed_as_plain_text() {
    let isso = isso();
    let before = now_secs();
    let created = post(
        &isso,
        "/articles/x",
        json!({"text": "Hello **there**", "author": "Ann", "title": "X"}),
    );
    assert_eq!(created.status, 201);
    let comment = created.json();
    assert_eq!(comment["mode"], 1, "accepted");
    assert_eq!(comment["parent"], Value::Null);
    assert_eq!(comment["text"], "<p>Hello <strong>there</strong></p>");
    assert_eq!(comment["author"], "Ann");
    assert_eq!(comment["website"], Value::Null);
    assert_eq!(comment["modified"], Value::Null);
    assert_eq!(
        (comment["likes"].clone(), comment["dislikes"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(comment["notification"], Value::Null);
    assert!(comment["hash"].is_string());
    // Seconds since the epoch, with a fraction.
    let at = comment["created"].as_f64().expect("created is a number");
    assert!(comment["created"].is_f64());
    assert!(at >= before - 1.0 && at <= now_secs() + 1.0, "{at}");

    let listed = thread(&isso, "/articles/x", "");
    assert_eq!(listed["total_replies"], 1);
    let item = &listed["replies"][0];
    assert_eq!(item["text"], "Hello **there**", "plain=1: the text as sent");
    assert_eq!(item["created"], comment["created"]);
    let mut keys: Vec<&str> = item
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "author",
            "created",
            "dislikes",
            "hash",
            "hidden_replies",
            "id",
            "likes",
            "mode",
            "modified",
            "notification",
            "parent",
            "replies",
            "text",
            "total_replies",
            "website"
        ]
    );

    let rendered = send(&isso, "GET", "/?uri=/articles/x", &[], "").json();
    assert_eq!(
        rendered["replies"][0]["text"],
        "<p>Hello <strong>there</strong></p>"
    );
}

#[test]
fn posting_refuses_what_isso_cannot_take() {
    let isso = isso();
    let rejected = |comment: Value| {
        let response = post(&isso, "/articles/v", comment);
        (response.status, response.body)
    };
    // A new thread needs a title when Isso cannot fetch the page (nothing at SITE).
    let (status, body) = rejected(json!({"text": "No title given"}));
    assert_eq!(status, 400);
    assert!(body.contains("no title was provided"), "{body}");
    post_ok(&isso, "/articles/v", json!({"text": "First", "title": "V"}));
    // Validation errors come as an HTML page whatever the request accepts.
    for (comment, reason) in [
        (json!({}), "text is missing"),
        (
            json!({"text": "ab"}),
            "text is too short (minimum length: 3)",
        ),
        (
            json!({"text": "ab   "}),
            "text is too short (minimum length: 3)",
        ),
        (
            json!({"text": "a".repeat(65536)}),
            "text is too long (maximum length: 65535)",
        ),
        (json!({"text": 5}), "text must be a string or null"),
        (
            json!({"text": "abc", "parent": "1"}),
            "parent must be an integer or null",
        ),
        (
            json!({"text": "abc", "website": "not a url"}),
            "Website not Django-conform",
        ),
    ] {
        let (status, body) = rejected(comment.clone());
        assert_eq!(status, 400, "{comment}");
        assert!(body.contains(reason), "{comment}: {body}");
        assert!(body.starts_with("<!doctype html>"), "{body}");
    }
    assert_eq!(rejected(json!({"text": "a".repeat(65535)})).0, 201);

    // Not JSON: 403 (Isso's CSRF check), whatever the body.
    let form = send(
        &isso,
        "POST",
        "/new?uri=/articles/v",
        &[ORIGIN, ("Content-Type", "text/plain"), ACCEPT_JSON],
        r#"{"text": "abc"}"#,
    );
    assert_eq!(form.status, 403);
    // Over 256 KiB: 413.
    let huge = json!({"text": "abc", "padding": "x".repeat(256 * 1024)}).to_string();
    let too_large = send(
        &isso,
        "POST",
        "/new?uri=/articles/v",
        &[ORIGIN, JSON],
        &huge,
    );
    assert_eq!(too_large.status, 413);
}

#[test]
fn a_parent_that_is_missing_or_on_another_thread_makes_a_top_level_comment() {
    let isso = isso();
    let (elsewhere, _) = post_ok(&isso, "/articles/a", json!({"text": "On A", "title": "A"}));
    let missing = post(
        &isso,
        "/articles/b",
        json!({"text": "Reply", "parent": 999, "title": "B"}),
    );
    assert_eq!(missing.status, 201);
    assert_eq!(missing.json()["parent"], Value::Null);
    let other = post(
        &isso,
        "/articles/b",
        json!({"text": "Reply", "parent": elsewhere}),
    );
    assert_eq!(other.status, 201);
    assert_eq!(other.json()["parent"], Value::Null);
}

#[test]
fn the_author_credential_is_a_cookie_named_by_the_comment_id() {
    let isso = isso();
    let response = post(&isso, "/articles/c", json!({"text": "Mine", "title": "C"}));
    let id = response.json()["id"].as_u64().unwrap();
    let set_cookie = response.header("set-cookie").expect("Set-Cookie");
    let x_set_cookie = response.header("x-set-cookie").expect("X-Set-Cookie");
    let value = set_cookie
        .strip_prefix(&format!("{id}="))
        .expect("named by the id")
        .split(';')
        .next()
        .unwrap();
    assert!(!value.is_empty());
    assert!(
        set_cookie.contains("; Max-Age=900; Path=/; SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("HttpOnly") && !set_cookie.contains("Secure"));
    // The same credential again, named `isso-<id>`, in a header a page script may read.
    assert_eq!(
        x_set_cookie,
        set_cookie.replacen(&format!("{id}="), &format!("isso-{id}="), 1)
    );
    assert_eq!(response.header("access-control-allow-origin"), Some(SITE));
    assert_eq!(
        response.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(
        response.header("access-control-expose-headers"),
        Some("X-Set-Cookie, Date")
    );
    // Only the `<id>` cookie proves authorship; `isso-<id>` does not.
    let view = |cookie: String| {
        send(
            &isso,
            "GET",
            &format!("/id/{id}?plain=1"),
            &[("Cookie", &cookie)],
            "",
        )
    };
    assert_eq!(view(format!("{id}={value}")).status, 200);
    assert_eq!(view(format!("isso-{id}={value}")).status, 403);
}

#[test]
fn a_reply_to_a_reply_is_filed_under_the_top_level_comment() {
    let isso = isso();
    let (top, _) = post_ok(&isso, "/articles/r", json!({"text": "Top", "title": "R"}));
    let (reply, _) = post_ok(
        &isso,
        "/articles/r",
        json!({"text": "Reply", "parent": top}),
    );
    let deeper = post(
        &isso,
        "/articles/r",
        json!({"text": "Reply to reply", "parent": reply}),
    );
    assert_eq!(deeper.status, 201);
    assert_eq!(deeper.json()["parent"], top);
    let listed = thread(&isso, "/articles/r", "");
    assert_eq!(ids(&listed["replies"]), [top]);
    let replies = &listed["replies"][0]["replies"];
    assert_eq!(ids(replies), [reply, deeper.json()["id"].as_u64().unwrap()]);
    // Replies carry no reply fields of their own.
    assert!(replies[0].get("replies").is_none() && replies[0].get("total_replies").is_none());
}

#[test]
fn only_the_author_edits_and_an_edit_renews_the_credential() {
    let isso = isso();
    let (id, cookie) = post_ok(
        &isso,
        "/articles/e",
        json!({"text": "Frist", "author": "Cy", "title": "E"}),
    );
    let edit = |cookie: Option<&str>, body: Value| {
        let mut headers = vec![ORIGIN, JSON, ACCEPT_JSON];
        if let Some(cookie) = cookie {
            headers.push(("Cookie", cookie));
        }
        send(
            &isso,
            "PUT",
            &format!("/id/{id}"),
            &headers,
            &body.to_string(),
        )
    };
    assert_eq!(edit(None, json!({"text": "Hijacked"})).status, 403);

    let edited = edit(
        Some(&cookie),
        json!({"text": "First, *edited*", "author": "Cy B", "parent": 99, "title": "ignored"}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    let comment = edited.json();
    assert_eq!(comment["text"], "<p>First, <em>edited</em></p>");
    assert_eq!(comment["author"], "Cy B");
    assert_eq!(
        comment["parent"],
        Value::Null,
        "only text, author and website change"
    );
    assert!(comment["modified"].as_f64().unwrap() >= comment["created"].as_f64().unwrap());
    // The credential covers the text it was issued for: the old one no longer works.
    let renewed = edited.cookie().expect("a new Set-Cookie").to_owned();
    assert_ne!(renewed, cookie);
    assert_eq!(edit(Some(&cookie), json!({"text": "Again"})).status, 403);
    // `text` is required on every edit.
    assert_eq!(edit(Some(&renewed), json!({"author": "Only"})).status, 400);
    assert_eq!(edit(Some(&renewed), json!({"text": "Again"})).status, 200);
    assert_eq!(
        thread(&isso, "/articles/e", "")["replies"][0]["text"],
        "Again"
    );
}

#[test]
fn deleting_keeps_a_comment_with_replies_as_mode_4_until_its_last_reply_goes() {
    let isso = isso();
    let (lonely, lonely_cookie) =
        post_ok(&isso, "/articles/d", json!({"text": "Alone", "title": "D"}));
    let (top, top_cookie) = post_ok(&isso, "/articles/d", json!({"text": "Top", "author": "P"}));
    let (reply, reply_cookie) = post_ok(
        &isso,
        "/articles/d",
        json!({"text": "Reply", "parent": top}),
    );
    let delete = |id: u64, cookie: Option<&str>| {
        let mut headers = vec![ORIGIN, ACCEPT_JSON];
        if let Some(cookie) = cookie {
            headers.push(("Cookie", cookie));
        }
        send(&isso, "DELETE", &format!("/id/{id}"), &headers, "")
    };
    assert_eq!(delete(lonely, None).status, 403);
    let gone = delete(lonely, Some(&lonely_cookie));
    assert_eq!((gone.status, gone.body.as_str()), (200, "null"));
    assert_eq!(
        gone.header("set-cookie"),
        Some(
            format!(
                "{lonely}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"
            )
            .as_str()
        )
    );
    // The same request again (a retry after a lost answer) fails with 500, not 404.
    assert_eq!(delete(lonely, Some(&lonely_cookie)).status, 500);

    let kept = delete(top, Some(&top_cookie));
    assert_eq!(kept.status, 200);
    let kept = kept.json();
    assert_eq!(
        (kept["id"].as_u64(), kept["mode"].as_u64()),
        (Some(top), Some(4))
    );
    assert_eq!(
        (kept["text"].as_str(), &kept["author"]),
        (Some(""), &Value::Null)
    );
    let listed = thread(&isso, "/articles/d", "");
    assert_eq!(
        listed["replies"][0]["mode"], 4,
        "still listed, with its reply"
    );
    assert_eq!(ids(&listed["replies"][0]["replies"]), [reply]);

    assert_eq!(delete(reply, Some(&reply_cookie)).body, "null");
    assert_eq!(thread(&isso, "/articles/d", "")["replies"], json!([]));
}

#[test]
fn the_edit_window_closes_after_max_age_and_an_edit_restarts_it() {
    let window = Duration::from_secs(3);
    let mut options = IssoOptions::for_site(SITE);
    options.edit_window = window;
    let isso = start(options);
    let posted_at = Instant::now();
    let response = post(&isso, "/articles/w", json!({"text": "Quick", "title": "W"}));
    let id = response.json()["id"].as_u64().unwrap();
    let cookie = response.cookie().unwrap().to_owned();
    assert!(response
        .header("set-cookie")
        .unwrap()
        .contains("; Max-Age=3;"));
    // `GET /id/N` checks the credential and changes nothing.
    let valid = |cookie: &str| {
        let status = send(
            &isso,
            "GET",
            &format!("/id/{id}"),
            &[("Cookie", cookie)],
            "",
        )
        .status;
        assert!(matches!(status, 200 | 403), "{status}");
        status == 200
    };
    assert!(valid(&cookie));

    // Edit when two seconds have passed: the new credential is signed then.
    wait_until(window, "two seconds", || {
        posted_at.elapsed() >= Duration::from_secs(2)
    });
    let edited = send(
        &isso,
        "PUT",
        &format!("/id/{id}"),
        &[ORIGIN, JSON, ("Cookie", &cookie)],
        r#"{"text": "Quick edit"}"#,
    );
    assert_eq!(edited.status, 200);
    let renewed = edited.cookie().unwrap().to_owned();

    wait_until(window + SLACK, "the first credential to expire", || {
        !valid(&cookie)
    });
    assert!(
        posted_at.elapsed() > window,
        "expired after {:?}",
        posted_at.elapsed()
    );
    assert!(valid(&renewed), "the edit restarted the window");

    wait_until(window + SLACK, "the renewed credential to expire", || {
        !valid(&renewed)
    });
    let headers = [ORIGIN, JSON, ACCEPT_JSON, ("Cookie", renewed.as_str())];
    let late_edit = send(
        &isso,
        "PUT",
        &format!("/id/{id}"),
        &headers,
        r#"{"text": "Too late"}"#,
    );
    assert_eq!(late_edit.status, 403);
    assert!(late_edit.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("403 Forbidden"));
    let late_delete = send(&isso, "DELETE", &format!("/id/{id}"), &headers, "");
    assert_eq!(late_delete.status, 403);
}

#[test]
fn likes_count_once_per_reader_address_and_never_the_authors_own() {
    let isso = isso();
    let author: IpAddr = "198.51.100.7".parse().unwrap();
    let posted = isso
        .post_comment(
            "/articles/l",
            &json!({"text": "Like me", "title": "L"}),
            Some(author),
        )
        .unwrap();
    let id = posted.json()["id"].as_u64().unwrap();
    let like = |from: Option<&str>| {
        let mut headers = vec![ORIGIN, JSON];
        if let Some(address) = from {
            headers.push(("X-Forwarded-For", address));
        }
        let response = send(&isso, "POST", &format!("/id/{id}/like"), &headers, "");
        assert_eq!(response.status, 200);
        response.json()
    };
    // The browser, from 127.0.0.1.
    assert_eq!(like(None), json!({"likes": 1, "dislikes": 0}));
    let again = like(None);
    assert_eq!(
        (again["likes"].clone(), again["dislikes"].clone()),
        (json!(1), json!(0))
    );
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .starts_with("Upvote denied"),
        "{again}"
    );
    // The author, and anyone in the author's /24 (Isso keeps addresses that coarse).
    assert_eq!(like(Some("198.51.100.7"))["likes"], 1);
    assert_eq!(like(Some("198.51.100.99"))["likes"], 1);
    assert_eq!(
        like(Some("203.0.113.9")),
        json!({"likes": 2, "dislikes": 0})
    );

    // A comment posted from the browser's own address: its likes from there never count.
    let (own, _) = post_ok(&isso, "/articles/l", json!({"text": "From the browser"}));
    let own_like = send(
        &isso,
        "POST",
        &format!("/id/{own}/like"),
        &[ORIGIN, JSON],
        "",
    )
    .json();
    assert_eq!(own_like["likes"], 0);
    // No such comment: 200 and `null`.
    let missing = send(&isso, "POST", "/id/999/like", &[ORIGIN, JSON], "");
    assert_eq!((missing.status, missing.body.as_str()), (200, "null"));
}

#[test]
fn count_gives_the_published_comments_of_each_uri_in_order() {
    let isso = isso();
    let (top, top_cookie) = post_ok(&isso, "/articles/one", json!({"text": "One", "title": "1"}));
    post_ok(
        &isso,
        "/articles/one",
        json!({"text": "Reply", "parent": top}),
    );
    post_ok(&isso, "/articles/one", json!({"text": "Another"}));
    post_ok(&isso, "/articles/two", json!({"text": "Two", "title": "2"}));
    let count = |uris: Value| {
        let response = send(&isso, "POST", "/count", &[ORIGIN, JSON], &uris.to_string());
        assert_eq!(response.status, 200);
        response.json()
    };
    assert_eq!(
        count(json!(["/articles/two", "/articles/none", "/articles/one"])),
        json!([1, 0, 3])
    );
    // A deleted comment kept for its reply (mode 4) is listed but not counted.
    let headers = [ORIGIN, ("Cookie", top_cookie.as_str())];
    assert_eq!(
        send(&isso, "DELETE", &format!("/id/{top}"), &headers, "").status,
        200
    );
    assert_eq!(count(json!(["/articles/one"])), json!([2]));
    assert_eq!(thread(&isso, "/articles/one", "")["total_replies"], 3);
}

#[test]
fn a_pending_comment_is_shown_to_nobody_until_the_moderator_approves_it() {
    let mut options = IssoOptions::for_site(SITE);
    options.moderation = true;
    let isso = start(options);
    let response = post(
        &isso,
        "/articles/m",
        json!({"text": "Wait for me", "title": "M"}),
    );
    assert_eq!(response.status, 202);
    assert_eq!(response.json()["mode"], 2);
    let id = response.json()["id"].as_u64().unwrap();
    let cookie = response
        .cookie()
        .expect("the author gets a credential")
        .to_owned();

    // Not in the list, not even for its author, and not counted.
    let with_cookie = send(
        &isso,
        "GET",
        "/?uri=/articles/m&plain=1",
        &[("Cookie", &cookie)],
        "",
    );
    assert_eq!(with_cookie.json()["replies"], json!([]));
    assert_eq!(with_cookie.json()["total_replies"], 0);
    let count = send(&isso, "POST", "/count", &[JSON], r#"["/articles/m"]"#);
    assert_eq!(count.json(), json!([0]));
    // Its author can read it back, and edit it, by id.
    let own = send(
        &isso,
        "GET",
        &format!("/id/{id}?plain=1"),
        &[("Cookie", &cookie)],
        "",
    );
    assert_eq!((own.status, own.json()["mode"].as_u64()), (200, Some(2)));
    assert_eq!(own.json()["text"], "Wait for me");

    isso.approve(id).expect("approve");
    let listed = thread(&isso, "/articles/m", "");
    assert_eq!(ids(&listed["replies"]), [id]);
    assert_eq!(listed["replies"][0]["mode"], 1);

    let (rejected, _) = post_ok(&isso, "/articles/m", json!({"text": "Spam spam"}));
    isso.reject(rejected).expect("reject");
    let gone = send(&isso, "GET", &format!("/id/{rejected}"), &[ACCEPT_JSON], "");
    assert_eq!(gone.status, 404);
}

/// A thread of five top-level comments (`a` with four replies, `b` with one) for paging.
struct PagedThread {
    top: [u64; 5],
    a_replies: [u64; 4],
    b_reply: u64,
}

fn paged_thread(isso: &IssoServer) -> PagedThread {
    let uri = "/articles/p";
    let id = |comment: Value| post_ok(isso, uri, comment).0;
    let a = id(json!({"text": "Top a", "title": "P"}));
    let a_replies = [1, 2, 3, 4].map(|n| id(json!({"text": format!("Reply a{n}"), "parent": a})));
    let b = id(json!({"text": "Top b"}));
    let b_reply = id(json!({"text": "Reply b1", "parent": b}));
    let rest = [
        id(json!({"text": "Top c"})),
        id(json!({"text": "Top d"})),
        id(json!({"text": "Top e"})),
    ];
    PagedThread {
        top: [a, b, rest[0], rest[1], rest[2]],
        a_replies,
        b_reply,
    }
}

#[test]
fn paging_top_level_comments_with_limit_and_offset() {
    let isso = isso();
    let t = paged_thread(&isso);
    let uri = "/articles/p";
    let all = thread(&isso, uri, "");
    // At the top, total_replies counts every comment, replies included; hidden_replies
    // counts the top-level comments neither returned nor skipped by `offset`.
    assert_eq!(
        (
            all["total_replies"].as_u64(),
            all["hidden_replies"].as_u64()
        ),
        (Some(10), Some(0))
    );
    assert_eq!(ids(&all["replies"]), t.top, "oldest first");
    assert_eq!(all["replies"][0]["total_replies"], 4);

    let first = thread(&isso, uri, "&limit=2&nested_limit=3");
    assert_eq!(ids(&first["replies"]), t.top[..2]);
    assert_eq!(first["hidden_replies"], 3, "more to come");
    let a = &first["replies"][0];
    assert_eq!(ids(&a["replies"]), t.a_replies[..3]);
    assert_eq!(
        (a["total_replies"].as_u64(), a["hidden_replies"].as_u64()),
        (Some(4), Some(1))
    );

    let second = thread(&isso, uri, "&limit=2&offset=2&nested_limit=3");
    assert_eq!(ids(&second["replies"]), t.top[2..4]);
    assert_eq!(second["hidden_replies"], 1);
    let last = thread(&isso, uri, "&limit=2&offset=4&nested_limit=3");
    assert_eq!(ids(&last["replies"]), t.top[4..]);
    assert_eq!(last["hidden_replies"], 0, "the end");

    let newest = thread(&isso, uri, "&sort=newest&limit=2&nested_limit=3");
    assert_eq!(ids(&newest["replies"]), [t.top[4], t.top[3]]);
    let oldest_replies = thread(&isso, uri, "&sort=newest&nested_limit=3");
    assert_eq!(
        ids(&oldest_replies["replies"][4]["replies"]),
        t.a_replies[..3],
        "replies stay oldest first"
    );

    // `nested_limit=0`: no replies, only their counts.
    let counts = thread(&isso, uri, "&nested_limit=0");
    assert_eq!(counts["replies"][0]["replies"], json!([]));
    assert_eq!(counts["replies"][0]["hidden_replies"], 4);
}

#[test]
fn without_nested_limit_the_top_level_limit_and_offset_also_cut_the_replies() {
    let isso = isso();
    let t = paged_thread(&isso);
    let uri = "/articles/p";
    // Isso reuses `limit` (and `offset`) for each comment's replies unless nested_limit is
    // given: comment b's only reply is skipped by offset=1.
    let page = thread(&isso, uri, "&limit=1&offset=1");
    assert_eq!(ids(&page["replies"]), [t.top[1]]);
    assert_eq!(page["replies"][0]["replies"], json!([]));
    assert_eq!(page["replies"][0]["hidden_replies"], 1);
    let page = thread(&isso, uri, "&limit=1&offset=1&nested_limit=10");
    assert_eq!(ids(&page["replies"][0]["replies"]), [t.b_reply]);
    let first = thread(&isso, uri, "&limit=2");
    assert_eq!(ids(&first["replies"][0]["replies"]), t.a_replies[..2]);
    // `offset` without `limit` is ignored, and hidden_replies goes negative.
    let odd = thread(&isso, uri, "&offset=2");
    assert_eq!(ids(&odd["replies"]), t.top);
    assert_eq!(odd["hidden_replies"], -2);
}

#[test]
fn paging_one_comments_replies_with_parent() {
    let isso = isso();
    let t = paged_thread(&isso);
    let uri = "/articles/p";
    let a = t.top[0];
    let page = thread(&isso, uri, &format!("&parent={a}&limit=2"));
    assert_eq!(page["id"], a);
    assert_eq!(ids(&page["replies"]), t.a_replies[..2]);
    assert_eq!(
        (
            page["total_replies"].as_u64(),
            page["hidden_replies"].as_u64()
        ),
        (Some(4), Some(2))
    );
    let next = thread(&isso, uri, &format!("&parent={a}&limit=2&offset=2"));
    assert_eq!(ids(&next["replies"]), t.a_replies[2..]);
    assert_eq!(next["hidden_replies"], 0);
    // A reply has no replies of its own; an unknown id is an empty list.
    let none = thread(&isso, uri, &format!("&parent={}", t.a_replies[0]));
    assert_eq!(none["replies"], json!([]));
    assert_eq!(thread(&isso, uri, "&parent=999")["total_replies"], 0);
}

#[test]
fn after_lists_only_comments_created_later() {
    let isso = isso();
    let t = paged_thread(&isso);
    let uri = "/articles/p";
    let all = thread(&isso, uri, "");
    let created = |comment: &Value| comment["created"].as_f64().unwrap();
    // Isso binds `after` as text and SQLite turns it back into a REAL, which is not always
    // the same float to the last bit (CI once saw the comment at `after` itself listed).
    // So `after` here lies midway between two comments, as no client can rely on more.
    let between = |earlier: &Value, later: &Value| (created(earlier) + created(later)) / 2.0;
    // Strictly later than `after`, compared with `created`, replies included; the totals
    // stay those of the whole thread.
    let roots = &all["replies"];
    let later = thread(
        &isso,
        uri,
        &format!("&after={}", between(&roots[1], &roots[2])),
    );
    assert_eq!(ids(&later["replies"]), t.top[2..]);
    assert_eq!(later["total_replies"], 10);
    assert_eq!(later["hidden_replies"], 2);
    let a_replies = &roots[0]["replies"];
    let after = between(&a_replies[1], &a_replies[2]);
    let replies = thread(&isso, uri, &format!("&parent={}&after={after}", t.top[0]));
    assert_eq!(ids(&replies["replies"]), t.a_replies[2..]);
}

#[test]
fn the_service_stops_and_comes_back_on_the_same_port_with_its_comments_and_credentials() {
    let mut isso = isso();
    let url = isso.url();
    let (id, cookie) = post_ok(
        &isso,
        "/articles/s",
        json!({"text": "Before", "title": "S"}),
    );
    isso.stop();
    assert!(!isso.is_running());
    let refused = isso.request("GET", "/?uri=/articles/s", &[], b"");
    assert!(refused.is_err(), "nothing answers while it is stopped");

    isso.start_again().expect("start again");
    assert_eq!(isso.url(), url);
    assert_eq!(ids(&thread(&isso, "/articles/s", "")["replies"]), [id]);
    let edited = send(
        &isso,
        "PUT",
        &format!("/id/{id}"),
        &[ORIGIN, JSON, ("Cookie", &cookie)],
        r#"{"text": "After"}"#,
    );
    assert_eq!(edited.status, 200, "the credential survives a restart");
}

#[test]
fn cors_answers_each_site_origin_and_any_preflight() {
    let mut options = IssoOptions::for_site(SITE);
    options.origins.push("http://localhost:8080".into());
    let isso = start(options);
    let preflight = send(
        &isso,
        "OPTIONS",
        "/id/1",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        "",
    );
    assert_eq!(preflight.status, 200);
    for (name, value) in [
        ("access-control-allow-origin", "http://localhost:8080"),
        ("access-control-allow-credentials", "true"),
        (
            "access-control-allow-methods",
            "HEAD, GET, POST, PUT, DELETE",
        ),
        (
            "access-control-allow-headers",
            "Origin, Referer, Content-Type",
        ),
        ("access-control-expose-headers", "X-Set-Cookie, Date"),
    ] {
        assert_eq!(preflight.header(name), Some(value), "{name}");
    }
    assert_eq!(preflight.header("access-control-max-age"), None);
    // Another origin is answered with the first site's, which its browser refuses.
    let stranger = send(
        &isso,
        "GET",
        "/?uri=/x",
        &[("Origin", "http://evil.example")],
        "",
    );
    assert_eq!(stranger.header("access-control-allow-origin"), Some(SITE));
}

#[test]
fn the_guard_limits_posts_per_address_and_can_require_an_author() {
    let mut options = IssoOptions::for_site(SITE);
    options.guard = Some(IssoGuard::default());
    let isso = start(options);
    post_ok(&isso, "/articles/g", json!({"text": "One", "title": "G"}));
    post_ok(&isso, "/articles/g", json!({"text": "Two"}));
    let third = post(&isso, "/articles/g", json!({"text": "Three"}));
    assert_eq!(third.status, 403);
    assert!(third.json()["message"]
        .as_str()
        .unwrap()
        .contains("ratelimit exceeded"));

    let mut options = IssoOptions::for_site(SITE);
    options.guard = Some(IssoGuard {
        require_author: true,
        ..IssoGuard::without_limits()
    });
    let isso = start(options);
    let anonymous = post(&isso, "/articles/g", json!({"text": "Who?", "title": "G"}));
    assert_eq!(anonymous.status, 403);
    assert!(anonymous.json()["message"]
        .as_str()
        .unwrap()
        .contains("author address required"));
    let (top, _) = post_ok(
        &isso,
        "/articles/g",
        json!({"text": "Me first", "author": "Ann"}),
    );
    // reply-to-self = false: no reply to one's own comment while it is editable.
    let to_self = post(
        &isso,
        "/articles/g",
        json!({"text": "Me again", "author": "Ann", "parent": top}),
    );
    assert_eq!(to_self.status, 403);
    assert!(to_self.json()["message"]
        .as_str()
        .unwrap()
        .contains("edit time frame is still open"));
    assert_eq!(
        send(&isso, "GET", "/config", &[], "").json()["config"]["require-author"],
        true
    );
}

#[test]
fn text_is_stored_as_sent_and_rendered_as_sanitised_markdown() {
    let isso = isso();
    let text = "Hi <b>bold</b> <script>alert(1)</script> [x](javascript:alert(1)) \
                [ok](https://example.com) https://bare.example";
    let response = post(
        &isso,
        "/articles/h",
        json!({"text": text, "author": "Tom & Jerry <3", "website": "example.com/t", "title": "H"}),
    );
    let rendered = response.json();
    assert_eq!(
        rendered["text"],
        "<p>Hi &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; \
         <a href=\"#harmful-link\" rel=\"nofollow noopener\">x</a> \
         <a href=\"https://example.com\" rel=\"nofollow noopener\">ok</a> https://bare.example</p>"
    );
    // Author and website are stored HTML-escaped, and come back so even with plain=1.
    assert_eq!(rendered["author"], "Tom &amp; Jerry &lt;3");
    assert_eq!(rendered["website"], "http://example.com/t");
    let listed = &thread(&isso, "/articles/h", "")["replies"][0];
    assert_eq!(listed["text"], text);
    assert_eq!(listed["author"], "Tom &amp; Jerry &lt;3");
}

#[test]
fn unknown_paths_and_methods_are_json_errors_when_json_is_accepted() {
    let isso = isso();
    let missing = send(&isso, "GET", "/nothing", &[ACCEPT_JSON], "");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("404 Not Found"));
    let wrong_method = send(&isso, "PATCH", "/id/1", &[ACCEPT_JSON], "");
    assert_eq!(wrong_method.status, 405);
    let no_uri = send(&isso, "GET", "/", &[ACCEPT_JSON], "");
    assert_eq!(no_uri.status, 400);
    assert_eq!(
        no_uri.json()["message"],
        "400 Bad Request: missing uri query"
    );
    // Without `Accept: application/json`, Isso answers errors with an HTML page.
    let html = send(&isso, "GET", "/nothing", &[], "");
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
}

#[test]
fn a_test_can_name_the_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut options = IssoOptions::for_site(SITE);
    options.port = Some(port);
    let isso = start(options);
    assert_eq!(isso.url(), format!("http://127.0.0.1:{port}/"));
    assert_eq!(thread(&isso, "/articles/any", "")["total_replies"], 0);
}
