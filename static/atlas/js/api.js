// Talking to the Atlas API: JSON in, clear errors out, compact columns into typed arrays.

// Fetch JSON; a non-2xx answer becomes an Error carrying the server's message.
export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    // The status and the body go with it (a 404 may name where a merged event went).
    throw Object.assign(new Error(body.error || `${response.status} ${response.statusText}`), { status: response.status, body });
  }
  return body;
}

// A query string from an object, leaving out empty values.
export function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && !value.length)) {
      query.set(key, Array.isArray(value) ? value.join(",") : value);
    }
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

// Turn the server's column arrays into typed arrays the map and the timeline loop over.
export function decodeCompact(body) {
  const c = body.columns;
  const n = body.count;
  const data = {
    n,
    id: Int32Array.from(c.id),
    lat: Float64Array.from(c.lat, (v) => (v === null ? NaN : v)),
    lon: Float64Array.from(c.lon, (v) => (v === null ? NaN : v)),
    start: Int32Array.from(c.start),
    end: Int32Array.from(c.end),
    type: Uint8Array.from(c.type),
    subtype: Uint8Array.from(c.subtype),
    datePrec: Uint8Array.from(c.date_prec),
    locPrec: Uint8Array.from(c.loc_prec),
    place: Int32Array.from(c.place, (v) => (v === null ? -1 : v)),
    admin1: Int32Array.from(c.admin1, (v) => (v === null ? -1 : v)),
    admin2: Int32Array.from(c.admin2, (v) => (v === null ? -1 : v)),
    admin3: Int32Array.from(c.admin3, (v) => (v === null ? -1 : v)),
    fatalities: Int32Array.from(c.fatalities, (v) => (v === null ? -1 : v)),
    types: body.types,
    subtypes: body.subtypes,
    places: body.places, // id -> name
    units: body.units, // id -> [name, level, P-code, the unit it lies in]
    indexById: new Map(),
  };
  for (let i = 0; i < n; i++) data.indexById.set(data.id[i], i);
  // Each event's actors: actorIds[actorOffsets[i] .. actorOffsets[i + 1]); `primary[i]` is
  // its actor 1 (or its first actor), -1 when it has none; `roles[k]` the role of actorIds[k]. Roles arrive sorted by event id.
  data.actorIds = Int32Array.from(body.role_actor);
  data.roles = Uint8Array.from(body.role); // 0 actor 1, 1 actor 2, 2-3 their associates
  data.actorOffsets = new Int32Array(n + 1);
  data.primary = new Int32Array(n).fill(-1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    data.actorOffsets[i] = k;
    while (k < body.role_event.length && body.role_event[k] === data.id[i]) {
      if (data.primary[i] === -1 || body.role[k] === 0) data.primary[i] = body.role_actor[k];
      k++;
    }
  }
  data.actorOffsets[n] = k;
  // Web Mercator in [0, 1], computed once: drawing only scales and shifts these.
  data.mx = new Float64Array(n);
  data.my = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sin = Math.sin((data.lat[i] * Math.PI) / 180);
    data.mx[i] = (data.lon[i] + 180) / 360;
    data.my[i] = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }
  return data;
}
