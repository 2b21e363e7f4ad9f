//! The baseline for the call-setup figure: plain WebRTC between the same two browsers, with no
//! fairhall in the path. The offer and answer are carried by the test itself (non-trickle ICE,
//! through WebDriver), so the figure is what the browsers need: camera, offer, ICE, DTLS, the
//! first decoded frame.

use serde_json::{Value, json};

use crate::harness::Browser;

/// `iceServers` and the transport policy, as JSON for the scripts.
pub struct RawConfig {
    pub ice_servers: Value,
    pub relay: bool,
}

const SETUP: &str = r#"
const [config, remote] = arguments;
const done = arguments[arguments.length - 1];
(async () => {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    // As on the call page, the camera is already open when the call starts.
    const t0 = Date.now();
    const pc = new RTCPeerConnection({
      iceServers: config.ice_servers,
      iceTransportPolicy: config.relay ? "relay" : "all",
    });
    const state = { pc, t0, firstFrame: 0 };
    // @ts-ignore
    window.__raw = state;
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
    pc.ontrack = (e) => {
      if (e.track.kind !== "video") return;
      const v = document.createElement("video");
      v.muted = true;
      v.autoplay = true;
      v.playsInline = true;
      v.srcObject = e.streams[0];
      document.body.appendChild(v);
      v.requestVideoFrameCallback(() => { state.firstFrame = Date.now(); });
    };
    const gathered = new Promise((resolve) => {
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === "complete") resolve(null);
      };
    });
    if (remote) {
      await pc.setRemoteDescription({ type: "offer", sdp: remote });
      await pc.setLocalDescription(await pc.createAnswer());
    } else {
      await pc.setLocalDescription(await pc.createOffer());
    }
    if (pc.iceGatheringState !== "complete") await gathered;
    done({ t0, sdp: pc.localDescription.sdp });
  } catch (e) {
    done({ error: String(e) });
  }
})();
"#;

const ANSWERED: &str = r#"
const [sdp] = arguments;
const done = arguments[arguments.length - 1];
// @ts-ignore
window.__raw.pc.setRemoteDescription({ type: "answer", sdp }).then(() => done(true), (e) => done(String(e)));
"#;

const FIRST_FRAME: &str = r#"
// @ts-ignore
const s = window.__raw;
return s && s.firstFrame ? s.firstFrame - s.t0 : 0;
"#;

const TEARDOWN: &str = r#"
// @ts-ignore
const s = window.__raw;
if (s) { s.pc.getSenders().forEach((x) => x.track && x.track.stop()); s.pc.close(); }
document.querySelectorAll("video").forEach((v) => v.remove());
return true;
"#;

/// One raw call from `offerer` to `answerer`; the milliseconds from the offerer's first step
/// after opening the camera (createOffer) to the first frame it decodes from the answerer.
pub async fn setup_ms(offerer: &Browser, answerer: &Browser, config: &RawConfig) -> u64 {
    let cfg = json!({ "ice_servers": config.ice_servers, "relay": config.relay });
    let offer = offerer
        .client
        .execute_async(SETUP, vec![cfg.clone(), Value::Null])
        .await
        .unwrap();
    assert!(offer.get("error").is_none(), "offer failed: {offer}");
    let answer = answerer
        .client
        .execute_async(SETUP, vec![cfg, offer["sdp"].clone()])
        .await
        .unwrap();
    assert!(answer.get("error").is_none(), "answer failed: {answer}");
    let ok = offerer
        .client
        .execute_async(ANSWERED, vec![answer["sdp"].clone()])
        .await
        .unwrap();
    assert_eq!(ok, json!(true), "setRemoteDescription(answer) failed");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let ms = loop {
        let v = offerer.client.execute(FIRST_FRAME, vec![]).await.unwrap();
        if let Some(ms) = v.as_u64().filter(|ms| *ms > 0) {
            break ms;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no remote frame within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    for b in [offerer, answerer] {
        b.client.execute(TEARDOWN, vec![]).await.unwrap();
    }
    ms
}
