//! DevTools commands through ChromeDriver: `POST /session/{id}/goog/cdp/execute`.
//!
//! ChromeDriver forwards these to the current page's DevTools session, so throttling and
//! scripts installed here apply to that tab, including across its navigations.

use fantoccini::wd::WebDriverCompatibleCommand;
use http::Method;
use serde_json::{json, Value};
use url::{ParseError, Url};

/// One DevTools Protocol command, e.g. `Emulation.setCPUThrottlingRate {rate: 4}`.
#[derive(Debug)]
pub struct CdpCommand {
    cmd: String,
    params: Value,
}

impl CdpCommand {
    pub fn new(cmd: &str, params: Value) -> CdpCommand {
        CdpCommand {
            cmd: cmd.to_owned(),
            params,
        }
    }
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        // Only reachable before a session exists, which never happens: fantoccini issues
        // commands on an open session. Fail the command rather than panic in its task.
        let session_id = session_id.ok_or(ParseError::EmptyHost)?;
        base_url.join(&format!("session/{session_id}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_cmd_and_params_to_the_session_endpoint() {
        let command = CdpCommand::new("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }));
        let base = Url::parse("http://127.0.0.1:9515/").unwrap();
        let url = command.endpoint(&base, Some("abc")).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9515/session/abc/goog/cdp/execute"
        );
        let (method, body) = command.method_and_body(&url);
        assert_eq!(method, Method::POST);
        let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
        assert_eq!(
            body,
            json!({ "cmd": "Emulation.setCPUThrottlingRate", "params": { "rate": 4 } })
        );
        assert!(command.endpoint(&base, None).is_err());
    }
}
