//! Finding and checking agents: `GET /agents` and `GET /agents/{agent_id}`.

use crate::cancel::CancelToken;
use crate::client::{Call, Client};
use crate::error::Result;
use crate::http::paths::Endpoint;
use crate::http::query::add_query;
use reqwest::Method;

/// Query parameters of the agent list whose values must be strings.
const AGENT_STRING_PARAMS: &[&str] = &["cursor", "search", "team_id"];

impl Client {
    /// `GET /agents`: one page of the agents the caller can read, `{"agents":[…],
    /// "next_cursor":…}`, filtered by `query_json` (`search` over name and description,
    /// `team_id`, `page_size` 1–100, `cursor`, `summary`; other keys as given).
    pub async fn list_agents(
        &self,
        query_json: Option<&str>,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        let mut url = self.rest_url(Endpoint::Agents)?;
        add_query(&mut url, query_json, AGENT_STRING_PARAMS)?;
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }

    /// `GET /agents/{agent_id}`: `{"agent":{…}}` (the aliases `gumball` and `analytics` resolve
    /// to the caller's own agents).
    pub async fn get_agent(&self, agent_id: &str, cancel: Option<&CancelToken>) -> Result<String> {
        let url = self.rest_url(Endpoint::Agent(agent_id))?;
        self.execute(Call::api(Method::GET, url, None), cancel)
            .await
    }
}
