//! `/staff/`: who is signed in, with which role, where to go from here,
//! and the log-out buttons.

use super::{Staff, StaffBase};
use crate::error::WebError;
use askama::Template;
use axum::response::Html;
use libres_core::Permission;

/// The staff home page.
#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomeView {
    b: StaffBase,
    role: &'static str,
    /// The role may administer accounts: link the users page.
    manages_users: bool,
    /// The role may read the registry: link the persons.
    reads: bool,
    /// The role may add persons.
    edits: bool,
    /// The role may add sources.
    sources: bool,
    /// The role may import person files.
    imports: bool,
}

/// `GET /staff/`.
pub(crate) async fn home(staff: Staff) -> Result<Html<String>, WebError> {
    let view = HomeView {
        role: staff.user.role.slug(),
        manages_users: staff.user.role.can(Permission::ManageUsers),
        reads: staff.user.role.can(Permission::ReadRegistry),
        edits: staff.user.role.can(Permission::EditCases),
        sources: staff.user.role.can(Permission::EditSources),
        imports: staff.user.role.can(Permission::Import),
        b: StaffBase::of(&staff),
    };
    Ok(Html(view.render()?))
}
