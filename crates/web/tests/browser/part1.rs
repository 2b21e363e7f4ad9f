//! Seed guide part 1, employers, in a real browser: register from a fair's entry page, get the
//! join request approved, sign up with two positions and an interviewer, get approved, write a
//! brochure by pasting indented text, and find the approved fair in 我的报名.

use fairhall_domain::account::Role;
use fairhall_store::fairs::Fair;

use crate::harness::Browser;
use crate::helpers::{Backend, PASSWORD, TestApp};

const HOUR: i64 = 3_600_000;

/// A 1×1 PNG, for the logo and the business licence.
fn png_file(dir: &std::path::Path) -> String {
    let path = dir.join("licence.png");
    let file = std::fs::File::create(&path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 1, 1);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()
        .unwrap()
        .write_image_data(&[200, 30, 30])
        .unwrap();
    path.display().to_string()
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (run by .ci/run)"]
async fn an_employer_goes_from_the_entry_page_to_an_approved_registration() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.account(Role::OrganizerStaff, "staff@tju.cn").await;
    let organizer_id = app
        .store
        .credentials_by_email("staff@tju.cn")
        .await
        .unwrap()
        .unwrap()
        .user
        .organizer_id
        .unwrap();
    let now = fairhall_app::now_ms();
    let fair_id = app
        .store
        .insert_fair(&Fair {
            id: 0,
            organizer_id,
            title: "2026 届秋季视频双选会".into(),
            details: "欢迎各用人单位报名".into(),
            signup_opens_at: now - HOUR,
            signup_closes_at: now + 24 * HOUR,
            starts_at: now + 48 * HOUR,
            ends_at: now + 56 * HOUR,
            min_completeness: 70,
            employer_limit: None,
            entry_code: "autumn26".into(),
            created_at: now,
        })
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let licence = png_file(files.path());
    let b = Browser::start(&app.base, 1280, 900).await;

    // 1. 去报名 → 立即注册 from the fair's entry page.
    b.goto("/f/autumn26").await;
    b.click("a[href^='/employers/register']").await;
    b.fill("input[name=name]", "天津星河科技有限公司").await;
    b.fill("input[name=credit_code]", "91350100M000100Y43")
        .await;
    b.fill("input[name=contact_name]", "张经理").await;
    b.fill("input[name=contact_phone]", "13912345678").await;
    b.fill("input[name=email]", "hr@xinghe.cn").await;
    b.fill("input[name=password]", PASSWORD).await;
    b.fill("input[name=industry]", "信息技术").await;
    b.find("select[name=size]")
        .await
        .select_by_index(2)
        .await
        .unwrap();
    b.fill("input[name=city]", "天津").await;
    b.find("input[name=licence]")
        .await
        .send_keys(&licence)
        .await
        .unwrap();
    b.click("main form button[type=submit]").await;
    b.find("form[action='/logout']").await;
    b.sign_out().await;

    // 2. The organizer approves the join request (入驻).
    b.sign_in("staff@tju.cn", PASSWORD).await;
    b.goto("/staff/join-requests").await;
    b.wait_for_text("天津星河科技有限公司").await;
    b.click("a.button[href^='/staff/join-requests/']").await;
    b.click("form[action$='/approve'] button[type=submit]")
        .await;
    b.wait_for_text("已通过").await;
    b.sign_out().await;

    // 3. The employer adds two positions and an interviewer, then signs up.
    b.sign_in("hr@xinghe.cn", PASSWORD).await;
    for (title, city) in [("前端开发工程师", "天津"), ("数据分析师", "北京")] {
        b.goto("/employer/positions/new").await;
        b.fill("input[name=title]", title).await;
        b.fill("input[name=headcount]", "3").await;
        b.find("select[name=education]")
            .await
            .select_by_index(2)
            .await
            .unwrap();
        b.fill("input[name=majors]", "计算机科学与技术、软件工程")
            .await;
        b.fill("input[name=city]", city).await;
        b.click("main form button[type=submit]").await;
        b.wait_for_text(title).await;
    }
    b.goto("/employer/interviewers").await;
    b.fill("input[name=name]", "李面试官").await;
    b.fill("input[name=phone]", "13700000001").await;
    b.fill("input[name=email]", "li@xinghe.cn").await;
    b.fill("input[name=password]", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.wait_for_text("li@xinghe.cn").await;

    b.goto("/employer/fairs").await;
    b.click(&format!("a[href='/employer/fairs/{fair_id}/signup']"))
        .await;
    for checkbox in b
        .client
        .find_all(fantoccini::Locator::Css("input[name=position_ids]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    b.check_label("李面试官").await;
    b.fill("input[name=contact_name]", "张经理").await;
    b.fill("input[name=contact_phone]", "022-23456789").await;
    b.click("form.registration-form button[type=submit]").await;
    b.wait_for_text("报名已提交").await;
    b.sign_out().await;

    // 4. The organizer approves the registration.
    b.sign_in("staff@tju.cn", PASSWORD).await;
    b.goto("/staff/registrations").await;
    b.click("a[href^='/staff/registrations/']").await;
    b.wait_for_text("前端开发工程师、数据分析师").await;
    b.wait_for_text("李面试官").await;
    b.click("form[action$='/approve'] button[type=submit]")
        .await;
    b.wait_for_text("审核通过").await;
    b.sign_out().await;

    // 5. The employer pastes an indented brochure and sees it normalised.
    b.sign_in("hr@xinghe.cn", PASSWORD).await;
    b.goto("/employer/brochures/new").await;
    b.fill("input[name=title]", "2026 届校园招聘简章").await;
    b.fill("textarea[name=content]", "　　天津星河科技有限公司成立于 2010 年。\n\n\n\n  我们欢迎计算机、数学等专业的同学加入。\n\n\n").await;
    b.click("#brochure-form button.primary[type=submit]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let value = b
            .find("textarea[name=content]")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if value == "天津星河科技有限公司成立于 2010 年。\n\n我们欢迎计算机、数学等专业的同学加入。"
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "content not normalised: {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // 6. 我的报名 shows the approved fair.
    b.goto("/employer/registrations").await;
    b.wait_for_text("2026 届秋季视频双选会").await;
    let row = b.find("tr.registration-row").await;
    assert_eq!(
        row.attr("data-status").await.unwrap().as_deref(),
        Some("approved")
    );
    b.wait_for_text("进入视频面试大厅").await;
}
