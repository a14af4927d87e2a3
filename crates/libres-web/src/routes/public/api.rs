//! The JSON API (`/api/v1/…`) and its OpenAPI document.
//!
//! Same data and same rules as the pages: published persons only, the
//! redacted [`PublicPerson`] view, and the same query parser.

use crate::error::{ErrorBody, WebError};
use crate::params::ListParams;
use crate::public::{
    PersonItem, PersonList, PublicAnnouncement, PublicAnnouncementText, PublicCharge,
    PublicDetention, PublicEvent, PublicFigure, PublicPerson, PublicRelease, PublicSource,
};
use crate::state::SharedState;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use libres_core::PersonId;
use utoipa::OpenApi;

pub(crate) fn router() -> Router<SharedState> {
    // Rendered once, here: the document never changes while we run.
    let doc = openapi_json().map(Bytes::from);
    Router::new()
        .route("/api/v1/persons", get(list_persons))
        .route("/api/v1/persons/{id}", get(get_person))
        .route("/api/v1/announcements", get(list_announcements))
        .route("/api/v1/announcements/{id}", get(get_announcement))
        .route(
            "/api/openapi.json",
            get(move || std::future::ready(openapi(doc.as_ref()))),
        )
}

/// Query parameters of `/api/v1/persons` (documentation only: the handler
/// parses them with [`ListParams`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ListQuery {
    /// Name search, accent- and case-insensitive; every word must match the
    /// start of a name word (`gonzalez garcia` finds "González García").
    q: Option<String>,
    /// Country of detention, ISO 3166-1 alpha-2 (`CU`, `VE`, `NI`).
    country: Option<String>,
    /// Derived status slug, e.g. `detained` or `conditional_release`.
    status: Option<String>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<u32>,
    /// Persons per page, from 1 to 1000; 50 when not given.
    #[param(minimum = 1, maximum = 1000)]
    per_page: Option<u32>,
}

/// Searches the published persons.
#[utoipa::path(
    get,
    path = "/api/v1/persons",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of matching persons", body = PersonList),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 500, description = "Internal error", body = ErrorBody),
    )
)]
pub(crate) async fn list_persons(
    State(st): State<SharedState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PersonList>, WebError> {
    let params = ListParams::parse(raw.as_deref())?;
    let page = st.reads.search_persons(&params.to_query()).await?;
    Ok(Json(PersonList::from_page(page)))
}

/// One published person's case file, without confidential data.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    params(("id" = String, Path, description = "The person's external id")),
    responses(
        (status = 200, description = "The public case file", body = PublicPerson),
        (status = 404, description = "No published person has this id", body = ErrorBody),
        (status = 500, description = "Internal error", body = ErrorBody),
    )
)]
pub(crate) async fn get_person(
    State(st): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<PublicPerson>, WebError> {
    let Ok(Path(raw_id)) = path else {
        return Err(WebError::NotFound);
    };
    let id = PersonId::parse(&raw_id).map_err(|_| WebError::NotFound)?;
    // Unknown and unpublished ids cost the same single lookup.
    let record = st
        .reads
        .get_published_person(&id)
        .await?
        .ok_or(WebError::NotFound)?;
    // Checked again: the last gate before the network.
    PublicPerson::from_record(record)
        .map(Json)
        .ok_or(WebError::NotFound)
}

/// The newest release announcements (at most 100), with their figures.
#[utoipa::path(
    get,
    path = "/api/v1/announcements",
    responses(
        (status = 200, description = "The newest announcements, newest first", body = [PublicAnnouncement]),
        (status = 500, description = "Internal error", body = ErrorBody),
    )
)]
pub(crate) async fn list_announcements(
    State(st): State<SharedState>,
) -> Result<Json<Vec<PublicAnnouncement>>, WebError> {
    let mut out = Vec::new();
    for a in st.announcements.announcements(None, 100).await? {
        out.push(public_announcement(&st, &a).await?);
    }
    Ok(Json(out))
}

/// One release announcement: the claim, and per figure the persons on the
/// registry (published ones by id, the others counted only).
#[utoipa::path(
    get,
    path = "/api/v1/announcements/{id}",
    params(("id" = i64, Path, description = "The announcement's number")),
    responses(
        (status = 200, description = "The announcement and its figures", body = PublicAnnouncement),
        (status = 404, description = "No announcement has this number", body = ErrorBody),
        (status = 500, description = "Internal error", body = ErrorBody),
    )
)]
pub(crate) async fn get_announcement(
    State(st): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<PublicAnnouncement>, WebError> {
    let Ok(Path(raw)) = path else {
        return Err(WebError::NotFound);
    };
    let id = match raw.parse::<i64>() {
        Ok(n) if n > 0 => n,
        _ => return Err(WebError::NotFound),
    };
    let a = st
        .announcements
        .announcement(id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(public_announcement(&st, &a).await?))
}

async fn public_announcement(
    st: &SharedState,
    a: &libres_core::Announcement,
) -> Result<PublicAnnouncement, WebError> {
    let announced = super::announcements::standings(st, a).await?;
    let people: Vec<(Option<PersonId>, libres_core::Standing)> = announced
        .people
        .iter()
        .map(|(named, s)| (named.as_ref().map(|n| n.id.clone()), *s))
        .collect();
    Ok(PublicAnnouncement::new(
        a,
        &people,
        announced.list_names,
        announced.matched(),
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Libres public API",
        description = "The public registry of political prisoners: published persons only, without confidential data."
    ),
    paths(list_persons, get_person, list_announcements, get_announcement),
    components(schemas(
        PersonList,
        PersonItem,
        PublicPerson,
        PublicDetention,
        PublicCharge,
        PublicEvent,
        PublicRelease,
        PublicSource,
        PublicAnnouncement,
        PublicAnnouncementText,
        PublicFigure,
        ErrorBody
    ))
)]
struct ApiDoc;

/// The OpenAPI document as JSON.
fn openapi_json() -> Option<String> {
    match ApiDoc::openapi().to_json() {
        Ok(json) => Some(json),
        Err(e) => {
            tracing::error!(error = %e, "the OpenAPI document failed to serialize");
            None
        }
    }
}

/// The OpenAPI document, or a 500 if it failed to serialize at start-up.
fn openapi(doc: Option<&Bytes>) -> Response {
    match doc {
        Some(json) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json.clone(),
        )
            .into_response(),
        None => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(ErrorBody {
                error: "internal error".into(),
            }),
        )
            .into_response(),
    }
}
