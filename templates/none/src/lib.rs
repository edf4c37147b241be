//! {{vendor_name}}: the current weather at a place, from a public weather API that needs no
//! credentials (`auth: none`). One product, one tool (`{{vendor_id}}:weather:current-weather`)
//! and the block that runs it.
//!
//! Replace the API below with yours: the host in `allowed_hosts`, the URL and query in
//! `current_weather`, and the response types.

use sdk_authoring::prelude::*;

/// The API every request goes to; its host is the only one in `allowed_hosts`.
const API_BASE: &str = "https://api.weather.example/v1";

/// Units of the returned measurements.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    /// Degrees Celsius and kilometres per hour.
    #[default]
    Metric,
    /// Degrees Fahrenheit and miles per hour.
    Imperial,
}

impl Units {
    fn as_str(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }
}

/// Input of `current-weather`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CurrentWeatherInput {
    /// Latitude in decimal degrees, from -90 (south) to 90 (north).
    pub latitude: f64,
    /// Longitude in decimal degrees, from -180 (west) to 180 (east).
    pub longitude: f64,
    /// `metric` (default) or `imperial`.
    #[serde(default)]
    pub units: Units,
}

/// `GET /v1/current` as the API returns it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CurrentResponse {
    current: Observation,
}

/// One observation of the weather.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    /// Air temperature, in degrees of the requested units.
    pub temperature: f64,
    /// Relative humidity, in percent.
    pub humidity: u8,
    /// Wind speed, in km/h (metric) or mph (imperial).
    pub wind_speed: f64,
    /// A short description, e.g. `partly cloudy`.
    pub condition: String,
    /// When the observation was made (RFC 3339).
    pub observed_at: String,
}

/// Output of `current-weather`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CurrentWeatherOutput {
    /// The latest observation at the place.
    pub weather: Observation,
    /// The units of `weather`.
    pub units: Units,
}

/// Reads the current weather at a latitude and longitude.
pub fn current_weather(
    input: CurrentWeatherInput,
    ctx: &Context,
) -> ToolResult<CurrentWeatherOutput> {
    if !(-90.0..=90.0).contains(&input.latitude) || !(-180.0..=180.0).contains(&input.longitude) {
        return Err(ToolError::new(format!(
            "({}, {}) is not a place: latitude goes from -90 to 90, longitude from -180 to 180",
            input.latitude, input.longitude
        )));
    }
    let (latitude, longitude) = (input.latitude.to_string(), input.longitude.to_string());
    let response = ctx
        .http()
        .get(format!("{API_BASE}/current"))
        .query(&[
            ("latitude", latitude.as_str()),
            ("longitude", longitude.as_str()),
            ("units", input.units.as_str()),
        ])
        .send()?
        .error_for_status()?;
    let current: CurrentResponse = response.json()?;
    ctx.logger.info(format!(
        "{} at ({latitude}, {longitude})",
        current.current.condition
    ));
    Ok(ToolResponse::ok(CurrentWeatherOutput {
        weather: current.current,
        units: input.units,
    }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "The current weather anywhere, from a public weather API",
    color: "#0EA5E9",
    icon: include_str!("../assets/icon.svg"),
    categories: ["tools"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.weather.example"],
    auth: auth! {
        credentials: [("none", Credential::None)],
        default: "none",
    },
    products: [define_product! {
        id: "weather",
        name: "Weather",
        description: "Current conditions at any place on Earth",
        capabilities: capabilities! {
            tools: [define_tool! {
                id: "current-weather",
                name: "Current Weather",
                version: "0.1.0",
                description: "Reads the temperature, humidity, wind and conditions at a place",
                params: [
                    ("latitude", param! {
                        kind: "number",
                        required: true,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("longitude", param! {
                        kind: "number",
                        required: true,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("units", param! {
                        kind: "string",
                        default: "metric",
                        visibility: Visibility::UserOnly,
                    }),
                ],
                execute: current_weather,
            }],
        },
        block: define_block! {
            kind: "{{block_prefix}}_weather",
            name: "{{vendor_name}} Weather",
            description: "Get the current weather at a place",
            bg_color: "#0EA5E9",
            auth_mode: "none",
            sub_blocks: [
                sub_block! {
                    id: "latitude",
                    title: "Latitude",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    required: true,
                    placeholder: "52.52",
                },
                sub_block! {
                    id: "longitude",
                    title: "Longitude",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    required: true,
                    placeholder: "13.41",
                },
                sub_block! {
                    id: "units",
                    title: "Units",
                    kind: SubBlockType::Dropdown,
                    default_value: "metric",
                    options: [("Metric (°C, km/h)", "metric"), ("Imperial (°F, mph)", "imperial")],
                },
            ],
            tools: block_tools! { access: ["current-weather"] },
            outputs: [
                ("weather", ("json", "Temperature, humidity, wind speed and conditions")),
                ("units", ("string", "metric or imperial")),
            ],
        },
    }],
}
