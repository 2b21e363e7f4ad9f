//! Fairs (场次): created and edited by organizer staff; entry codes and QR codes.
//!
//! Staff see and change only their own organizer's fairs: a fair of another organizer is
//! answered as not found, so its existence is not revealed. Other roles are refused.

use anyhow::Context;
use fairhall_domain::account::Role;
use fairhall_domain::fair::{ENTRY_CODE_LEN, EntryCode, FairDraft, FairInput, FairStatus};
pub use fairhall_store::fairs::Fair;
use fairhall_store::users::User;
use fairhall_store::{Constraint, Store, StoreError};
use qrcode::{EcLevel, QrCode};

use crate::{App, AppError, AppResult, now_ms};

/// Tries at drawing an unused entry code before giving up (2^40 codes: a clash is rare).
const CODE_ATTEMPTS: usize = 8;

/// Quiet zone around the QR code, in modules (the standard asks for 4).
pub const QR_QUIET_MODULES: u32 = 4;
/// The PNG is at least this many pixels wide: about 10 cm at 300 dpi, for posters.
pub const QR_PNG_MIN_PX: u32 = 1200;
/// 300 dots per inch, in pixels per metre, written into the PNG for print.
const PNG_PIXELS_PER_METRE: u32 = 11_811;

/// The organizer a staff member works for; other roles are refused.
fn staff_organizer(user: &User) -> AppResult<i64> {
    if user.role != Role::OrganizerStaff {
        return Err(AppError::Forbidden);
    }
    user.organizer_id.ok_or(AppError::Forbidden)
}

/// The rules' view of a saved fair (e.g. to fill the edit form).
pub fn draft_of(f: &Fair) -> FairDraft {
    FairDraft {
        title: f.title.clone(),
        details: f.details.clone(),
        signup_opens_at: f.signup_opens_at,
        signup_closes_at: f.signup_closes_at,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        min_completeness: f.min_completeness,
        employer_limit: f.employer_limit,
    }
}

/// Where a fair stands at `now` (报名中, 进行中, 已结束 …).
pub fn status_of(f: &Fair, now: i64) -> FairStatus {
    FairStatus::at(
        (f.signup_opens_at, f.signup_closes_at),
        (f.starts_at, f.ends_at),
        now,
    )
}

/// A `Host` header value we are willing to put into a link: a host name or address and an
/// optional port, nothing else.
fn plausible_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// What the home page lists for a signed-in user.
#[derive(Debug, Clone, Default)]
pub struct HomeFairs {
    /// The user's organizer or employer, empty for other roles.
    pub name: String,
    /// The organizer's fairs (newest fair day first), or the fairs a student entered.
    pub fairs: Vec<Fair>,
}

impl App {
    /// A fair by its entry code. Fairs are public: anyone with the code may read it.
    pub async fn fair_by_code(&self, code: &str) -> AppResult<Option<Fair>> {
        match EntryCode::lookup(code) {
            Some(code) => Ok(self.store.fair_by_code(&code).await?),
            None => Ok(None),
        }
    }

    /// A fair by its id (public, like [`App::fair_by_code`]).
    pub async fn fair(&self, fair_id: i64) -> AppResult<Fair> {
        Ok(self.store.fair(fair_id).await?)
    }

    /// The home page's fairs: a staff member's organizer and its fairs, the fairs a student
    /// entered, or an employer's name.
    pub async fn home_fairs(&self, user: &User) -> AppResult<HomeFairs> {
        let mut home = HomeFairs::default();
        if let Some(org) = user.organizer_id {
            home.name = self.store.organizer(org).await?.name;
            home.fairs = self.store.fairs_of_organizer(org).await?;
        }
        if user.role == Role::Student {
            for entry in self.store.fair_entries_of_student(user.id).await? {
                home.fairs.push(self.store.fair(entry.fair_id).await?);
            }
        }
        if let Some(emp) = user.employer_id {
            home.name = self.store.employer(emp).await?.name;
        }
        Ok(home)
    }

    /// The absolute entry URL of a fair, `…/f/{code}`: on `public_url` when configured,
    /// otherwise on the host the request came to (`host`, the `Host` header).
    pub fn entry_url(&self, host: Option<&str>, code: &str) -> String {
        let configured = self
            .config
            .http
            .public_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let base = match configured {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                let scheme = if self.config.http.secure_cookies {
                    "https"
                } else {
                    "http"
                };
                let host = host
                    .map(str::trim)
                    .filter(|h| plausible_host(h))
                    .unwrap_or("localhost");
                format!("{scheme}://{host}")
            }
        };
        format!("{base}/f/{code}")
    }

    /// The signed-in staff member's fairs, newest fair day first.
    pub async fn fairs_for_staff(&self, user: &User) -> AppResult<Vec<Fair>> {
        let organizer_id = staff_organizer(user)?;
        Ok(self.store.fairs_of_organizer(organizer_id).await?)
    }

    /// One fair of the staff member's organizer. Another organizer's fair is `NotFound`;
    /// any role but organizer staff is `Forbidden`.
    pub async fn fair_for_staff(&self, user: &User, fair_id: i64) -> AppResult<Fair> {
        let organizer_id = staff_organizer(user)?;
        let fair = self.store.fair(fair_id).await?;
        if fair.organizer_id != organizer_id {
            return Err(AppError::NotFound);
        }
        Ok(fair)
    }

    /// Creates a fair for the staff member's organizer, with a fresh entry code.
    #[tracing::instrument(skip_all, fields(user = user.id))]
    pub async fn create_fair(&self, user: &User, input: &FairInput) -> AppResult<Fair> {
        let organizer_id = staff_organizer(user)?;
        let draft = FairDraft::parse(input)?;
        let now = now_ms();
        for _ in 0..CODE_ATTEMPTS {
            let code = EntryCode::from_random(rand::random::<[u8; ENTRY_CODE_LEN]>());
            let fair = Fair {
                id: 0,
                organizer_id,
                title: draft.title.clone(),
                details: draft.details.clone(),
                signup_opens_at: draft.signup_opens_at,
                signup_closes_at: draft.signup_closes_at,
                starts_at: draft.starts_at,
                ends_at: draft.ends_at,
                min_completeness: draft.min_completeness,
                employer_limit: draft.employer_limit,
                entry_code: code.as_str().to_string(),
                created_at: now,
            };
            match self.store.insert_fair(&fair).await {
                Ok(id) => {
                    tracing::info!(fair = id, "fair created");
                    return Ok(Fair { id, ..fair });
                }
                Err(StoreError::Unique(Constraint::FairEntryCode)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Internal(anyhow::anyhow!(
            "no unused entry code after {CODE_ATTEMPTS} tries"
        )))
    }

    /// Changes a fair of the staff member's organizer. The entry code never changes, so
    /// printed QR codes keep working.
    #[tracing::instrument(skip_all, fields(user = user.id, fair = fair_id))]
    pub async fn update_fair(
        &self,
        user: &User,
        fair_id: i64,
        input: &FairInput,
    ) -> AppResult<Fair> {
        let current = self.fair_for_staff(user, fair_id).await?;
        let draft = FairDraft::parse(input)?;
        if let Some(limit) = draft.employer_limit {
            let approved = self.store.count_approved_registrations(fair_id).await?;
            if approved > limit {
                return Err(fairhall_domain::DomainError::new(
                    "limit_below_approved",
                    "employer_limit",
                    fairhall_domain::msg!("error.app.limit_below_approved", approved = approved),
                )
                .into());
            }
        }
        let fair = Fair {
            title: draft.title,
            details: draft.details,
            signup_opens_at: draft.signup_opens_at,
            signup_closes_at: draft.signup_closes_at,
            starts_at: draft.starts_at,
            ends_at: draft.ends_at,
            min_completeness: draft.min_completeness,
            employer_limit: draft.employer_limit,
            ..current
        };
        self.store.update_fair(&fair).await?;
        Ok(fair)
    }

    /// The fair's QR code as SVG, encoding its absolute entry URL.
    pub async fn fair_qr_svg(
        &self,
        user: &User,
        fair_id: i64,
        host: Option<&str>,
    ) -> AppResult<(Fair, String)> {
        let fair = self.fair_for_staff(user, fair_id).await?;
        let svg = qr_svg(&self.entry_url(host, &fair.entry_code))?;
        Ok((fair, svg))
    }

    /// The fair's QR code as a print-size PNG, encoding its absolute entry URL.
    pub async fn fair_qr_png(
        &self,
        user: &User,
        fair_id: i64,
        host: Option<&str>,
    ) -> AppResult<(Fair, Vec<u8>)> {
        let fair = self.fair_for_staff(user, fair_id).await?;
        let png = qr_png(&self.entry_url(host, &fair.entry_code))?;
        Ok((fair, png))
    }
}

/// Quartile error correction: a poster survives a crease or a smudge.
fn qr_code(text: &str) -> anyhow::Result<QrCode> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q)
        .map_err(|e| anyhow::anyhow!("QR code for {text}: {e}"))
}

/// `text` as a QR code in SVG, black on white, with the quiet zone.
pub fn qr_svg(text: &str) -> anyhow::Result<String> {
    let code = qr_code(text)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .quiet_zone(true)
        .min_dimensions(480, 480)
        .build())
}

/// Pixels per module of the PNG for a code `modules` wide: whole pixels (sharp edges), and at
/// least `QR_PNG_MIN_PX` in all, quiet zone included.
pub fn qr_png_scale(modules: u32) -> u32 {
    let total = modules + 2 * QR_QUIET_MODULES;
    QR_PNG_MIN_PX.div_ceil(total).max(1)
}

/// `text` as a QR code in a 1-bit greyscale PNG: each module a square of whole pixels, the
/// 4-module quiet zone around it, at least `QR_PNG_MIN_PX` wide, marked 300 dpi.
pub fn qr_png(text: &str) -> anyhow::Result<Vec<u8>> {
    let code = qr_code(text)?;
    let modules = u32::try_from(code.width()).context("QR width")?;
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    let scale = qr_png_scale(modules);
    let size = (modules + 2 * QR_QUIET_MODULES) * scale;
    let row_bytes = size.div_ceil(8) as usize;
    // 1 bits are white; start all white and blacken the dark modules.
    let mut pixels = vec![0xffu8; row_bytes * size as usize];
    for y in 0..size {
        let my = (y / scale).checked_sub(QR_QUIET_MODULES);
        for x in 0..size {
            let mx = (x / scale).checked_sub(QR_QUIET_MODULES);
            let is_dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < modules && my < modules => {
                    dark[(my * modules + mx) as usize]
                }
                _ => false,
            };
            if is_dark {
                let i = y as usize * row_bytes + (x / 8) as usize;
                pixels[i] &= !(0x80u8 >> (x % 8));
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size, size);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: PNG_PIXELS_PER_METRE,
            yppu: PNG_PIXELS_PER_METRE,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().context("PNG header")?;
        writer.write_image_data(&pixels).context("PNG data")?;
        writer.finish().context("PNG end")?;
    }
    Ok(out)
}

/// Cleans, once, the details of every fair saved under an older `fair::DETAILS_POLICY`, so
/// pages can show details as stored. Runs when the application starts; returns how many fairs
/// it cleaned.
pub(crate) async fn clean_old_fair_details(store: &Store) -> Result<usize, StoreError> {
    let old = store.fairs_with_old_details().await?;
    for (id, details) in &old {
        store
            .set_fair_details(*id, &fairhall_domain::fair::sanitize_details(details))
            .await?;
    }
    if !old.is_empty() {
        tracing::info!(
            fairs = old.len(),
            "fair details cleaned under the current rules"
        );
    }
    Ok(old.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_png_is_poster_sized_with_a_quiet_zone() {
        let url = "https://fair.example.edu.cn/f/abcdefgh";
        let png = qr_png(url).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let code = qr_code(url).unwrap();
        let modules = code.width() as u32;
        let scale = qr_png_scale(modules);
        assert_eq!(info.width, (modules + 8) * scale);
        assert_eq!(info.width, info.height);
        assert!(info.width >= QR_PNG_MIN_PX);
        let pixel = |x: u32, y: u32| {
            let byte = buf[(y as usize) * info.line_size + (x / 8) as usize];
            byte & (0x80 >> (x % 8)) != 0
        };
        // Quiet zone white; the finder pattern's corner black.
        assert!(pixel(0, 0));
        assert!(pixel(4 * scale - 1, 4 * scale - 1));
        assert!(!pixel(4 * scale, 4 * scale));
        let colors: Vec<bool> = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        for my in 0..modules {
            for mx in 0..modules {
                let white = pixel((mx + 4) * scale + scale / 2, (my + 4) * scale + scale / 2);
                assert_eq!(white, !colors[(my * modules + mx) as usize]);
            }
        }
    }

    #[test]
    fn the_svg_is_an_svg() {
        let svg = qr_svg("http://localhost/f/abcdefgh").unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn only_plausible_hosts_go_into_links() {
        assert!(plausible_host("fair.example.cn:8080"));
        assert!(plausible_host("[::1]:80"));
        assert!(!plausible_host("evil.example/\"><script>"));
        assert!(!plausible_host(""));
    }

    #[tokio::test]
    async fn details_saved_under_older_rules_are_cleaned_once_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        store.migrate().await.unwrap();
        let org = store
            .insert_organizer(
                "天津大学",
                fairhall_domain::fair::OrganizerKind::University,
                0,
            )
            .await
            .unwrap();
        let fair = |code: &str| Fair {
            id: 0,
            organizer_id: org,
            title: "双选会".into(),
            details: "<p>欢迎</p>".into(),
            signup_opens_at: 0,
            signup_closes_at: 1,
            starts_at: 2,
            ends_at: 3,
            min_completeness: 60,
            employer_limit: None,
            entry_code: code.into(),
            created_at: 0,
        };
        let old = store.insert_fair(&fair("old001")).await.unwrap();
        let new = store.insert_fair(&fair("new001")).await.unwrap();
        // As a fair saved before the rules had a version, or under looser ones.
        sqlx::query(
            "UPDATE fairs SET details = '<p onclick=\"x()\">欢迎</p><script>x()</script>', \
             details_policy = 0 WHERE id = $1",
        )
        .bind(old)
        .execute(store.pool())
        .await
        .unwrap();

        assert_eq!(clean_old_fair_details(&store).await.unwrap(), 1);
        assert_eq!(store.fair(old).await.unwrap().details, "<p>欢迎</p>");
        assert_eq!(store.fair(new).await.unwrap().details, "<p>欢迎</p>");
        assert_eq!(clean_old_fair_details(&store).await.unwrap(), 0, "once");
    }
}
