//! Capability runtimes (LLM, STT, TTS, embedding, video, OCR) and the webhook and discovery
//! capabilities, as the reference's `defineCapability*` helpers describe them.
//!
//! An author lists [`Capability`] values (built with `define_capability_llm!` and friends) in
//! a product's `capabilities.runtimes`; the manifest carries one boolean flag per runtime
//! (`runtimes.llm: true`) and the models they declare under `capabilityMeta`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The type tag of a capability helper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CapabilityKind {
    #[default]
    Llm,
    Stt,
    Tts,
    Embedding,
    Video,
    Ocr,
    Webhook,
    Discovery,
}

/// A capability declared by a product: its kind and the models it serves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Capability {
    pub kind: CapabilityKind,
    pub models: Vec<ModelMeta>,
}

/// Metadata of one model a capability runtime serves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModelMeta {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Embedding models: vector dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// STT/TTS models: supported language codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// TTS models: voice ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<String>,
    /// Supports realtime (streaming) sessions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub realtime: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmarks: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Value>,
}

/// Boolean flags of the capability runtimes a product provides.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Runtimes {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub llm: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stt: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tts: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub embedding: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub video: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
    /// Authoring only: the capability values the flags were made from.
    #[serde(skip)]
    #[schemars(skip)]
    pub defs: Vec<Capability>,
}

impl Runtimes {
    /// True when no runtime flag is set.
    pub fn is_empty(&self) -> bool {
        !(self.llm || self.stt || self.tts || self.embedding || self.video || self.ocr)
    }

    /// Builds the flags from capability values (webhook and discovery are product flags, not
    /// runtimes; [`crate::Capabilities`] picks them up separately).
    pub fn from_capabilities(defs: Vec<Capability>) -> Runtimes {
        let has = |kind| defs.iter().any(|c| c.kind == kind);
        Runtimes {
            llm: has(CapabilityKind::Llm),
            stt: has(CapabilityKind::Stt),
            tts: has(CapabilityKind::Tts),
            embedding: has(CapabilityKind::Embedding),
            video: has(CapabilityKind::Video),
            ocr: has(CapabilityKind::Ocr),
            defs,
        }
    }

    /// The model metadata of the capability values, grouped as the manifest's
    /// `capabilityMeta`.
    pub fn capability_meta(&self) -> CapabilityMeta {
        let models = |kind| -> Vec<ModelMeta> {
            self.defs
                .iter()
                .filter(|c| c.kind == kind)
                .flat_map(|c| c.models.iter().cloned())
                .collect()
        };
        CapabilityMeta {
            llm_models: models(CapabilityKind::Llm),
            embedding_models: models(CapabilityKind::Embedding),
            stt_models: models(CapabilityKind::Stt),
            tts_models: models(CapabilityKind::Tts),
            video_models: models(CapabilityKind::Video),
            ocr_models: models(CapabilityKind::Ocr),
        }
    }

    /// Whether a capability of this kind was declared.
    pub fn declares(&self, kind: CapabilityKind) -> bool {
        self.defs.iter().any(|c| c.kind == kind)
    }
}

/// Model metadata extracted from capability runtimes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityMeta {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub llm_models: Vec<ModelMeta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedding_models: Vec<ModelMeta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stt_models: Vec<ModelMeta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tts_models: Vec<ModelMeta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub video_models: Vec<ModelMeta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_models: Vec<ModelMeta>,
}

impl CapabilityMeta {
    /// True when no model metadata is present.
    pub fn is_empty(&self) -> bool {
        self.llm_models.is_empty()
            && self.embedding_models.is_empty()
            && self.stt_models.is_empty()
            && self.tts_models.is_empty()
            && self.video_models.is_empty()
            && self.ocr_models.is_empty()
    }
}
