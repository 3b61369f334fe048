//! A minimal HTTP/1.1 client for plain-http calls on this machine: the gateway emulator's
//! check-sale call to the merchant server and its /api/v2 callbacks, and the tests' calls to the
//! sandbox. It follows no redirect.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A response: status and body.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body's text.
    pub body: String,
    /// `Location`, when present.
    pub location: Option<String>,
}

/// POSTs `body` to an `http://` URL with the given headers; `Err` when no response came.
pub async fn post(url: &str, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Result<Answer, String> {
    send("POST", url, headers, body.into()).await
}

/// GETs an `http://` URL.
pub async fn get(url: &str) -> Result<Answer, String> {
    send("GET", url, &[], Bytes::new()).await
}

async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Bytes) -> Result<Answer, String> {
    let uri: Uri = url.parse().map_err(|error| format!("bad URL: {error}"))?;
    if uri.scheme_str() != Some("http") {
        return Err("not an http:// URL".into());
    }
    let authority = uri.authority().ok_or("the URL has no host")?.to_string();
    // A URL without a port means http's own.
    let address = match uri.port_u16() {
        Some(_) => authority.clone(),
        None => format!("{}:80", uri.host().unwrap_or_default()),
    };
    let stream = TcpStream::connect(&address).await.map_err(|error| format!("connect: {error}"))?;
    // The request's head and body leave together, not the body after the server's delayed ACK
    // (a socket that refuses the option still sends, only later).
    drop(stream.set_nodelay(true));
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|error| format!("handshake: {error}"))?;
    tokio::spawn(connection);
    let path = uri.path_and_query().map_or("/", |path| path.as_str());
    let mut request = Request::builder().method(method).uri(path).header("Host", &authority);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Full::new(body)).map_err(|error| format!("request: {error}"))?;
    let response = sender.send_request(request).await.map_err(|error| format!("send: {error}"))?;
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|value| value.to_str().ok()).map(String::from);
    let bytes = response.into_body().collect().await.map_err(|error| format!("body: {error}"))?.to_bytes();
    Ok(Answer { status, body: String::from_utf8_lossy(&bytes).into_owned(), location })
}
