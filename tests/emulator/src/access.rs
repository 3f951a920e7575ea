//! A session's access document: who it is shared with, the link, and the
//! changes `PUT /sessions/{id}/access` applies.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::fixtures::Fixtures;

/// A role on the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Can read.
    Viewer,
    /// Can read and send.
    Editor,
    /// Can do anything, including sharing.
    Owner,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "viewer" => Role::Viewer,
            "editor" => Role::Editor,
            "owner" => Role::Owner,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }
}

/// Who a link lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMode {
    /// No link.
    None,
    /// Anyone with the link.
    Anyone,
    /// Anyone with the link and the password.
    Password,
}

impl LinkMode {
    fn as_str(self) -> &'static str {
        match self {
            LinkMode::None => "none",
            LinkMode::Anyone => "anyone",
            LinkMode::Password => "password",
        }
    }
}

/// One person with access.
#[derive(Debug, Clone)]
struct Person {
    email: String,
    role: Role,
}

/// The access document of one session.
#[derive(Debug, Clone)]
pub struct Access {
    owner_email: String,
    people: Vec<Person>,
    teams: Vec<(String, Role)>,
    organization: Option<Role>,
    link: LinkMode,
    link_role: Option<Role>,
}

/// One `share` item.
#[derive(Debug, Clone)]
enum Share {
    Person(String, Role),
    Team(String, Role),
    Organization(Role),
}

/// One `remove` item.
#[derive(Debug, Clone)]
enum Remove {
    Person(String),
    Team(String),
    Organization,
}

/// A checked `PUT` body.
#[derive(Debug, Clone)]
pub struct Change {
    share: Vec<Share>,
    remove: Vec<Remove>,
    link: Option<(LinkMode, Option<Role>)>,
}

impl Access {
    /// The document of a new session: its creator as the only owner, no link.
    pub fn new(owner_email: &str) -> Access {
        let email = owner_email.to_lowercase();
        Access {
            owner_email: email.clone(),
            people: vec![Person {
                email,
                role: Role::Owner,
            }],
            teams: Vec::new(),
            organization: None,
            link: LinkMode::None,
            link_role: None,
        }
    }

    fn visibility(&self) -> &'static str {
        if self.link != LinkMode::None {
            "public"
        } else if self.organization.is_some() {
            "organization"
        } else if self.people.len() > 1 || !self.teams.is_empty() {
            "shared"
        } else {
            "private"
        }
    }

    /// The wire form; people's names come from the fixtures' users.
    pub fn to_json(&self, fixtures: &Fixtures) -> Value {
        let name = |email: &str| {
            fixtures
                .users
                .values()
                .find(|u| u.email.eq_ignore_ascii_case(email))
                .map(|u| format!("{} {}", u.first_name, u.last_name))
        };
        json!({
            "grants_visibility": self.visibility(),
            "people": self.people.iter().map(|p| json!({
                "email": p.email, "name": name(&p.email), "role": p.role.as_str(),
            })).collect::<Vec<_>>(),
            "teams": self.teams.iter().map(|(t, r)| json!({"team_id": t, "role": r.as_str()}))
                .collect::<Vec<_>>(),
            "organization_access": self.organization.map(|r| json!({"role": r.as_str()})),
            "link": self.link.as_str(),
            "link_role": self.link_role.map(Role::as_str),
            "password_protected": self.link == LinkMode::Password,
            "hidden_by_role": null,
        })
    }

    /// Applies a checked change (shares, then removals, then the link); returns the
    /// e-mails newly shared with. 400 when it would take the owner's access away.
    pub fn apply(&mut self, change: &Change) -> Result<Vec<String>, ApiError> {
        let owner_kept = |i: usize, email: &str, what: &str| {
            if email == self.owner_email {
                Err(ApiError::invalid(
                    &format!("{what}[{i}].email"),
                    "The session's owner keeps the owner role",
                ))
            } else {
                Ok(())
            }
        };
        for (i, s) in change.share.iter().enumerate() {
            if let Share::Person(email, role) = s {
                if *role != Role::Owner {
                    owner_kept(i, email, "share")?;
                }
            }
        }
        for (i, r) in change.remove.iter().enumerate() {
            if let Remove::Person(email) = r {
                owner_kept(i, email, "remove")?;
            }
        }
        let mut notified = Vec::new();
        for s in &change.share {
            match s {
                Share::Person(email, role) => {
                    match self.people.iter_mut().find(|p| &p.email == email) {
                        Some(p) => p.role = *role,
                        None => {
                            self.people.push(Person {
                                email: email.clone(),
                                role: *role,
                            });
                            notified.push(email.clone());
                        }
                    }
                }
                Share::Team(team, role) => match self.teams.iter_mut().find(|(t, _)| t == team) {
                    Some(entry) => entry.1 = *role,
                    None => self.teams.push((team.clone(), *role)),
                },
                Share::Organization(role) => self.organization = Some(*role),
            }
        }
        for r in &change.remove {
            match r {
                Remove::Person(email) => self.people.retain(|p| &p.email != email),
                Remove::Team(team) => self.teams.retain(|(t, _)| t != team),
                Remove::Organization => self.organization = None,
            }
        }
        if let Some((mode, role)) = change.link {
            self.link = mode;
            self.link_role = match mode {
                LinkMode::None => None,
                _ => Some(role.unwrap_or(Role::Viewer)),
            };
        }
        Ok(notified)
    }
}

fn role_at(obj: &Map<String, Value>, param: &str) -> Result<Role, ApiError> {
    obj.get("role")
        .and_then(Value::as_str)
        .and_then(Role::parse)
        .ok_or_else(|| ApiError::invalid(param, "`role` must be `viewer`, `editor` or `owner`"))
}

fn email_at(obj: &Map<String, Value>, param: &str) -> Result<String, ApiError> {
    let email = obj.get("email").and_then(Value::as_str).unwrap_or("");
    match email.split_once('@') {
        Some((user, host)) if !user.is_empty() && !host.is_empty() && !email.contains(' ') => {
            Ok(email.to_lowercase())
        }
        _ => Err(ApiError::invalid(
            param,
            "`email` must be an e-mail address",
        )),
    }
}

fn team_at(obj: &Map<String, Value>, param: &str, fx: &Fixtures) -> Result<String, ApiError> {
    match obj.get("team_id").and_then(Value::as_str) {
        Some(t) if fx.teams.contains_key(t) => Ok(t.to_string()),
        _ => Err(ApiError::invalid(param, "`team_id` must name a team")),
    }
}

fn items<'a>(body: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(ApiError::invalid(key, format!("`{key}` must be an array"))),
    }
}

/// Checks a `PUT` body `{share?, remove?, link?}` (no other field; at least one of them).
pub fn parse_change(body: &Map<String, Value>, fx: &Fixtures) -> Result<Change, ApiError> {
    if let Some(key) = body
        .keys()
        .find(|k| !matches!(k.as_str(), "share" | "remove" | "link"))
    {
        return Err(ApiError::invalid(
            key,
            format!("unknown field `{key}`; use share, remove or link"),
        ));
    }
    let mut share = Vec::new();
    for (i, item) in items(body, "share")?.iter().enumerate() {
        let at = |f: &str| format!("share[{i}].{f}");
        let obj = item.as_object().ok_or_else(|| {
            ApiError::invalid(&format!("share[{i}]"), "each item must be an object")
        })?;
        share.push(match obj.get("type").and_then(Value::as_str) {
            Some("person") => {
                Share::Person(email_at(obj, &at("email"))?, role_at(obj, &at("role"))?)
            }
            Some("team") => Share::Team(
                team_at(obj, &at("team_id"), fx)?,
                role_at(obj, &at("role"))?,
            ),
            Some("organization") => Share::Organization(role_at(obj, &at("role"))?),
            _ => {
                return Err(ApiError::invalid(
                    &at("type"),
                    "`type` must be `person`, `team` or `organization`",
                ))
            }
        });
    }
    let mut remove = Vec::new();
    for (i, item) in items(body, "remove")?.iter().enumerate() {
        let at = |f: &str| format!("remove[{i}].{f}");
        let obj = item.as_object().ok_or_else(|| {
            ApiError::invalid(&format!("remove[{i}]"), "each item must be an object")
        })?;
        remove.push(match obj.get("type").and_then(Value::as_str) {
            Some("person") => Remove::Person(email_at(obj, &at("email"))?),
            Some("team") => Remove::Team(team_at(obj, &at("team_id"), fx)?),
            Some("organization") => Remove::Organization,
            _ => {
                return Err(ApiError::invalid(
                    &at("type"),
                    "`type` must be `person`, `team` or `organization`",
                ))
            }
        });
    }
    let link = match body.get("link") {
        None | Some(Value::Null) => None,
        Some(Value::Object(obj)) => {
            let mode = match obj.get("mode").and_then(Value::as_str) {
                Some("none") => LinkMode::None,
                Some("anyone") => LinkMode::Anyone,
                Some("password") => LinkMode::Password,
                _ => {
                    return Err(ApiError::invalid(
                        "link.mode",
                        "`mode` must be `none`, `anyone` or `password`",
                    ))
                }
            };
            let role = match obj.get("role") {
                None | Some(Value::Null) => None,
                Some(_) => Some(role_at(obj, "link.role")?),
            };
            Some((mode, role))
        }
        Some(_) => return Err(ApiError::invalid("link", "`link` must be an object")),
    };
    if share.is_empty() && remove.is_empty() && link.is_none() {
        return Err(ApiError::invalid(
            "share",
            "nothing to change: give share, remove or link",
        ));
    }
    Ok(Change {
        share,
        remove,
        link,
    })
}
