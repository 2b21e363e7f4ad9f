//! Uploaded files: each kind has its own allowed types and size, and says who may fetch it.

use serde::{Deserialize, Serialize};

pub const MIB: usize = 1 << 20;

const IMAGES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
const IMAGES_AND_PDF: &[&str] = &["image/png", "image/jpeg", "image/webp", "application/pdf"];
const PDF: &[&str] = &["application/pdf"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Logo,
    Licence,
    BrochureImage,
    Photo,
    Attachment,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Logo,
        FileKind::Licence,
        FileKind::BrochureImage,
        FileKind::Photo,
        FileKind::Attachment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Logo => "logo",
            FileKind::Licence => "licence",
            FileKind::BrochureImage => "brochure_image",
            FileKind::Photo => "photo",
            FileKind::Attachment => "attachment",
        }
    }

    /// The content types (judged from the file's first bytes) this kind accepts.
    pub fn allowed(self) -> &'static [&'static str] {
        match self {
            FileKind::Logo | FileKind::Photo | FileKind::BrochureImage => IMAGES,
            FileKind::Licence => IMAGES_AND_PDF,
            FileKind::Attachment => PDF,
        }
    }

    pub fn max_bytes(self) -> usize {
        match self {
            FileKind::Logo | FileKind::Photo => 2 * MIB,
            FileKind::BrochureImage | FileKind::Licence => 5 * MIB,
            FileKind::Attachment => 10 * MIB,
        }
    }

    /// Whether anyone may fetch files of this kind by their (unguessable) key. Licences and
    /// attachments are checked against the reader by the caller.
    pub fn is_public(self) -> bool {
        matches!(self, FileKind::Logo | FileKind::BrochureImage)
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}
