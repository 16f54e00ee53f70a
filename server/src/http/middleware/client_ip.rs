//! The client's address, for attempt limits per IP. Server functions read it from the
//! request's extensions as [`app::platform::ClientIp`].
use app::platform::ClientIp;
use axum::{extract::ConnectInfo, extract::Request, middleware::Next, response::Response};
use std::net::SocketAddr;

pub async fn record(trust_proxy: bool, mut req: Request, next: Next) -> Response {
    let forwarded = trust_proxy
        .then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|v| !v.is_empty())
                .and_then(|v| v.parse::<std::net::IpAddr>().ok())
        })
        .flatten();
    let ip = forwarded.or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
    });
    if let Some(ip) = ip {
        req.extensions_mut().insert(ClientIp(ip.to_string()));
    }
    next.run(req).await
}
