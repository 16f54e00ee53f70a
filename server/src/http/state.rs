//! What every handler gets: the platform, the areas' configuration, the settings and the
//! Leptos options. Nothing here knows a route.
use crate::config::Settings;
use app::courses::files::FileLimits;
use app::identities::providers::{ConfigError, Providers};
use app::photos::model::PhotoLimit;
use app::platform::Platform;
use app::ui::embed::EmbedPolicy;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub platform: Platform,
    pub areas: AreaConfig,
    pub settings: Arc<Settings>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Fails only on a configuration mistake, which `startup::open_platform` reports first.
    pub fn new(settings: Settings, platform: Platform) -> Result<Self, AreaConfigError> {
        let areas = AreaConfig::from_settings(&settings)?;
        let leptos_options = LeptosOptions::builder()
            .output_name(settings.output_name.clone())
            .site_root(settings.site_root.display().to_string())
            .site_pkg_dir(settings.site_pkg_dir.clone())
            .site_addr(settings.bind)
            .build();
        Ok(Self {
            leptos_options,
            platform,
            areas,
            settings: Arc::new(settings),
        })
    }
}

/// The areas' own configuration, which the server provides to every request beside the
/// platform: sign-in providers (from `AGORA_AUTH_*`), the embed allow-list and the upload
/// limits.
#[derive(Clone)]
pub struct AreaConfig {
    pub providers: Arc<Providers>,
    pub embeds: Arc<EmbedPolicy>,
    pub course_files: FileLimits,
    pub photo: PhotoLimit,
}

#[derive(Debug, thiserror::Error)]
pub enum AreaConfigError {
    #[error("sign-in providers: {0}")]
    Providers(#[from] ConfigError),
    #[error(
        "AGORA_EMBED_PROVIDERS: {0:?} is neither a known provider (youtube, vimeo, padlet, h5p, miro) nor an https:// origin"
    )]
    Embeds(String),
}

impl AreaConfig {
    pub fn from_settings(settings: &Settings) -> Result<Self, AreaConfigError> {
        Ok(AreaConfig {
            providers: Arc::new(Providers::from_env()?),
            embeds: Arc::new(EmbedPolicy::parse(&settings.embed_providers).map_err(AreaConfigError::Embeds)?),
            course_files: FileLimits {
                max_image_bytes: settings.max_course_image_bytes,
                max_file_bytes: settings.max_course_file_bytes,
                quota_bytes: settings.course_files_quota_bytes,
            },
            photo: PhotoLimit(settings.max_photo_bytes),
        })
    }
}
