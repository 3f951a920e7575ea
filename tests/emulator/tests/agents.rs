//! `GET /agents` and `GET /agents/{id}`.

mod common;

use common::*;
use serde_json::{json, Value};

const AGENT_FIELDS: [&str; 23] = [
    "id",
    "name",
    "description",
    "team_id",
    "is_active",
    "tools",
    "resources",
    "skill_ids",
    "abilities",
    "incognito",
    "knowledge_sources",
    "triggers",
    "version",
    "metadata",
    "model_name",
    "system_prompt",
    "folder_id",
    "type",
    "created_at",
    "last_used_at",
    "last_updated_at",
    "active_trigger_count",
    "creator",
];

async fn list(emu: &Emu, query: &str, auth: &[(&str, &str)]) -> Value {
    let resp = emu.api.get(&format!("/api/v1/agents{query}"), auth).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()
}

fn ids(body: &Value) -> Vec<String> {
    body["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_list_holds_every_readable_agent_in_full() {
    let emu = emu().await;
    let body = list(&emu, "", ADA).await;
    assert_eq!(
        ids(&body),
        [
            "agent_ent",
            "agent_ent_small",
            "agent_free",
            "agent_pro",
            "agent_pro_small"
        ]
    );
    assert_eq!(body["next_cursor"], Value::Null);
    for agent in body["agents"].as_array().unwrap() {
        let obj = agent.as_object().unwrap();
        for f in AGENT_FIELDS {
            assert!(obj.contains_key(f), "agent lacks {f}: {agent}");
        }
        assert_eq!(obj.len(), AGENT_FIELDS.len(), "{agent}");
    }
    let pro = &body["agents"][3];
    assert_eq!(pro["name"], "Sales research agent");
    assert_eq!(
        pro["description"],
        "Researches prospects and drafts outreach"
    );
    assert_eq!(pro["team_id"], "team_pro");
    assert_eq!(pro["is_active"], true);
    assert_eq!(pro["tools"][0]["name"], "web_search");
    assert_eq!(pro["creator"]["email"], "ada@example.com");
    assert_eq!(pro["last_used_at"], Value::Null);
    // Bob reads the free team's agents and his private one.
    assert_eq!(
        ids(&list(&emu, "", BOB).await),
        ["agent_free", "agent_private"]
    );
    // A team key sees its team's agents only.
    let team = [
        ("authorization", "Bearer gk_team_pro"),
        ("x-auth-key", "user_ada"),
    ];
    assert_eq!(
        ids(&list(&emu, "?team_id=team_pro", &team).await),
        ["agent_pro"]
    );
}

#[tokio::test]
async fn search_team_and_summary_narrow_the_list() {
    let emu = emu().await;
    assert_eq!(ids(&list(&emu, "?search=SALES", ADA).await), ["agent_pro"]);
    // Descriptions are searched too.
    assert_eq!(
        ids(&list(&emu, "?search=outreach", ADA).await),
        ["agent_pro"]
    );
    assert_eq!(
        ids(&list(&emu, "?search=enterprise", ADA).await),
        ["agent_ent", "agent_ent_small"]
    );
    assert_eq!(
        ids(&list(&emu, "?search=zzz", ADA).await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&list(&emu, "?team_id=team_free", ADA).await),
        ["agent_free"]
    );
    assert_eq!(ids(&list(&emu, "?search=&team_id=", ADA).await).len(), 5);
    let body = list(&emu, "?summary=true&search=sales", ADA).await;
    let agent = body["agents"][0].as_object().unwrap();
    let mut keys: Vec<&str> = agent.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "creator",
            "id",
            "is_active",
            "last_used_at",
            "model_name",
            "name",
            "team_id"
        ]
    );
    assert_eq!(
        list(&emu, "?summary=false", ADA).await["agents"][0]
            .as_object()
            .unwrap()
            .len(),
        23
    );
}

#[tokio::test]
async fn pages_cover_the_list_once() {
    let emu = emu().await;
    let mut seen = Vec::new();
    let mut query = "?page_size=2".to_string();
    let mut pages = 0;
    loop {
        let body = list(&emu, &query, ADA).await;
        pages += 1;
        let page = ids(&body);
        assert!(page.len() <= 2);
        seen.extend(page);
        match body["next_cursor"].as_str() {
            Some(c) => query = format!("?page_size=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids(&list(&emu, "", ADA).await));
}

#[tokio::test]
async fn bad_list_queries_are_400() {
    let emu = emu().await;
    // A session listing's cursor is not an agent listing's.
    idle_session(&emu).await;
    idle_session(&emu).await;
    let sessions = emu
        .api
        .get("/api/v1/agents/agent_pro/sessions?page_size=1", ADA)
        .await
        .json();
    let foreign = sessions["next_cursor"].as_str().unwrap().to_string();
    for (query, param) in [
        ("?page_size=0", "page_size"),
        ("?page_size=101", "page_size"),
        ("?page_size=x", "page_size"),
        ("?cursor=zz", "cursor"),
        (&format!("?cursor={foreign}") as &str, "cursor"),
        ("?summary=maybe", "summary"),
    ] {
        let resp = emu.api.get(&format!("/api/v1/agents{query}"), ADA).await;
        let err = assert_error(&resp, 400, "invalid_request", "invalid_request_error");
        assert_eq!(err["param"], param, "{query}");
    }
    let resp = emu.api.get("/api/v1/agents?team_id=team_ghost", BOB).await;
    assert_error(&resp, 403, "not_a_team_member", "permission_error");
    assert_error(
        &emu.api.get("/api/v1/agents", &[]).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api.post("/api/v1/agents", ADA, "{}").await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
}

#[tokio::test]
async fn retrieve_gives_the_full_agent_or_the_usual_errors() {
    let emu = emu().await;
    let resp = emu.api.get("/api/v1/agents/agent_pro", ADA).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let agent = resp.json()["agent"].clone();
    assert_eq!(agent, list(&emu, "?search=sales", ADA).await["agents"][0]);
    // A session marks the agent as used.
    let (_, env) = create(&emu.api, "agent_pro", ADA, "{}").await;
    let agent = emu.api.get("/api/v1/agents/agent_pro", ADA).await.json()["agent"].clone();
    assert_eq!(agent["last_used_at"], env["session"]["created_at"]);
    // Aliases resolve per caller and are listed once made.
    let gumball = emu.api.get("/api/v1/agents/gumball", ADA).await.json()["agent"].clone();
    assert_eq!(
        (gumball["id"].clone(), gumball["name"].clone()),
        (json!("gumball_user_ada"), json!("Gumball"))
    );
    assert!(ids(&list(&emu, "", ADA).await).contains(&"gumball_user_ada".to_string()));
    assert!(!ids(&list(&emu, "", BOB).await).contains(&"gumball_user_ada".to_string()));
    assert_error(
        &emu.api.get("/api/v1/agents/agent_nope", ADA).await,
        404,
        "agent_not_found",
        "not_found_error",
    );
    assert_error(
        &emu.api.get("/api/v1/agents/agent_private", ADA).await,
        403,
        "permission_denied",
        "permission_error",
    );
    assert_error(
        &emu.api.get("/api/v1/agents/agent_pro", &[]).await,
        401,
        "missing_credentials",
        "authentication_error",
    );
    assert_error(
        &emu.api
            .request("DELETE", "/api/v1/agents/agent_pro", ADA, None)
            .await,
        405,
        "method_not_allowed",
        "invalid_request_error",
    );
    // Faults and the log apply here too.
    arm(
        &emu,
        r#"{"method":"GET","path":"/api/v1/agents/*","garbage":true}"#,
    )
    .await;
    let resp = emu.api.get("/api/v1/agents/agent_pro", ADA).await;
    assert_eq!(resp.status, 200);
    assert!(serde_json::from_slice::<Value>(&resp.body).is_err());
    let log = admin_get(&emu, "/requests").await;
    assert_eq!(
        log["requests"].as_array().unwrap().last().unwrap()["fault"],
        "garbage"
    );
}

/// `incognito` is the object the API and the official SDK's model have, never null.
#[tokio::test]
async fn incognito_is_an_object_with_enforced() {
    let emu = emu_with(fixtures(
        r#"{"agents": {"agent_secret": {"name": "Secret", "team_id": "team_pro",
            "creator_user_id": "user_ada", "incognito_enforced": true}}}"#,
    ))
    .await;
    let body = list(&emu, "", ADA).await;
    for agent in body["agents"].as_array().unwrap() {
        let expected = json!({ "enforced": agent["id"] == "agent_secret" });
        assert_eq!(agent["incognito"], expected, "{agent}");
    }
    assert!(ids(&body).contains(&"agent_secret".to_string()));
    let one = emu.api.get("/api/v1/agents/agent_secret", ADA).await.json();
    assert_eq!(one["agent"]["incognito"], json!({"enforced": true}));
    let pro = emu.api.get("/api/v1/agents/agent_pro", ADA).await.json();
    assert_eq!(pro["agent"]["incognito"], json!({"enforced": false}));
}
