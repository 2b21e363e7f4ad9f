//! Employers' recruitment brochures (招聘简章): list, edit, preview, images.
//!
//! Pages live in `pages`, the JSON API in `api`. Content is stored normalised plain text and
//! rendered escaped, paragraph by paragraph, by the partial `templates/brochures/content.html`;
//! other features render a brochure the same way:
//!
//! ```text
//! struct MyPage { b: Base, blocks: Vec<BlockView>, … }      // blocks: blocks_for(&content)
//! {% include "brochures/content.html" %}                    // in the template
//! ```

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use fairhall_domain::brochure::{self, Block};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/employer/brochures", get(pages::list))
        .route(
            "/employer/brochures/new",
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/employer/brochures/{id}/edit",
            get(pages::edit_form).post(pages::update),
        )
        .route("/employer/brochures/{id}/images", post(pages::add_image))
        .route("/employer/brochures/{id}/preview", get(pages::preview))
        .route(
            "/employer/brochures/{id}/delete",
            get(pages::confirm_delete).post(pages::delete),
        )
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::list_brochures, api::create_brochure))
        .routes(routes!(
            api::get_brochure,
            api::update_brochure,
            api::delete_brochure
        ))
        .routes(routes!(api::upload_brochure_image))
}

/// What a paragraph of a brochure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Text,
    Image,
}

/// One paragraph of a brochure, ready for a template or an API client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BlockView {
    pub kind: BlockKind,
    /// The paragraph's text (plain text: escape it), or the image's path (`/files/…`).
    pub value: String,
}

impl BlockView {
    pub fn is_image(&self) -> bool {
        self.kind == BlockKind::Image
    }
}

impl From<Block> for BlockView {
    fn from(b: Block) -> Self {
        match b {
            Block::Text(value) => BlockView {
                kind: BlockKind::Text,
                value,
            },
            Block::Image(value) => BlockView {
                kind: BlockKind::Image,
                value,
            },
        }
    }
}

/// The paragraphs of stored brochure content, for `templates/brochures/content.html` (as
/// the template's `blocks`) or for an API answer.
pub fn blocks_for(content: &str) -> Vec<BlockView> {
    brochure::paragraphs(content)
        .into_iter()
        .map(BlockView::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_text_and_images() {
        let blocks = blocks_for("甲\n\n[[image:/files/a.png]]\n\n<b>乙</b>");
        assert_eq!(
            blocks,
            vec![
                BlockView {
                    kind: BlockKind::Text,
                    value: "甲".into()
                },
                BlockView {
                    kind: BlockKind::Image,
                    value: "/files/a.png".into()
                },
                BlockView {
                    kind: BlockKind::Text,
                    value: "<b>乙</b>".into()
                },
            ]
        );
        assert!(blocks[1].is_image() && !blocks[0].is_image());
    }
}
