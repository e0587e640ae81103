/* Eurasian corridors: the map's script, run inside the st_folium iframe.
 *
 * The page's Python builds a base map that never changes (so the iframe is never rebuilt) and,
 * on every rerun, a one-line call `corridorsMap.apply(view)`. This script fetches the app's data
 * file once, draws every layer from it, and applies each view in place: which layers show, the
 * basemap, whose borders, what is highlighted. It also keeps the page's address current (with
 * history.replaceState, so panning adds no history entries) and offers it as the share link.
 *
 * Everything from the data file or the page reaches the DOM through textContent or as a value,
 * never as HTML, so no text in a file, article or link can run here.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // [lat0, lon0, dlat1, dlon1, ...] integers in 1/scale degrees -> [[lat, lon], ...]
  function decode(flat, scale) {
    var out = [];
    var lat = 0;
    var lon = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      lat += flat[i];
      lon += flat[i + 1];
      out.push([lat / scale, lon / scale]);
    }
    return out;
  }

  function tipContent(tip) {
    var box = el("div", "cm-tip");
    box.appendChild(el("div", "cm-tip-title", tip.title));
    if (tip.subtitle) box.appendChild(el("div", "cm-tip-subtitle", tip.subtitle));
    if (tip.facts.length) {
      var list = el("dl");
      tip.facts.forEach(function (fact) {
        list.appendChild(el("dt", null, fact[0]));
        list.appendChild(el("dd", null, fact[1]));
      });
      box.appendChild(list);
    }
    if (tip.sources.length) {
      box.appendChild(el("div", "cm-tip-sources", "Sources: " + tip.sources.join("; ")));
    }
    return box;
  }

  // The share link, written by the rules the page's codec hands over (corridors/share.py,
  // LinkScheme.browser_rules): its parameters' order, the centre's precision, the list separator
  // and Streamlit's own parameters. `query` holds the page's pairs; the script adds the live
  // centre and zoom. tests/link_cases.json holds the cases both sides must spell alike.
  function linkQuery(rules, query, center, zoom, pageParams) {
    var scale = Math.pow(10, rules.decimals);
    // Degrees rounded as Python's round() does: to the nearest, and an exact tie to even (ties
    // at d decimals are the odd multiples of 2^-(d+1), where toFixed would round away from 0).
    function atPrecision(x) {
      var halves = x * Math.pow(2, rules.decimals + 1); // exact: a power of two
      if (Number.isInteger(halves) && halves % 2 !== 0) {
        var low = Math.floor(x * scale);
        return (low % 2 === 0 ? low : low + 1) / scale;
      }
      return Number(x.toFixed(rules.decimals));
    }
    // No trailing zeros (41.2, not 41.200) and no "-0"; a longitude that rounds to 180 is
    // spelled -180, the same meridian.
    function degrees(x, isLongitude) {
      var rounded = atPrecision(x);
      if (isLongitude && rounded === 180) rounded = -180;
      return String(rounded === 0 ? 0 : rounded);
    }
    var pairs = query.slice();
    pairs.push([rules.center, degrees(center[0], false) + rules.separator + degrees(center[1], true)]);
    pairs.push([rules.zoom, String(zoom)]);
    var rank = function (pair) {
      var i = rules.order.indexOf(pair[0]);
      return i < 0 ? rules.order.length : i;
    };
    pairs.sort(function (a, b) {
      return rank(a) - rank(b);
    });
    pageParams.forEach(function (pair) {
      if (rules.pageParameters.indexOf(pair[0]) >= 0) pairs.push(pair);
    });
    var separator = encodeURIComponent(rules.separator);
    return pairs
      .map(function (pair) {
        return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]).split(separator).join(rules.separator);
      })
      .join("&");
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) {
      if (attributes[name] !== null && attributes[name] !== undefined) {
        node.setAttribute(name, String(attributes[name]));
      }
    });
    return node;
  }

  function swatch(kind, style) {
    var box = svg("svg", { width: 28, height: 14, "aria-hidden": "true" });
    var stroke = { stroke: style.color };
    if (kind === "fill") {
      box.appendChild(
        svg("rect", L.extend(stroke, { x: 2, y: 2, width: 24, height: 10, fill: style.fillColor,
          "fill-opacity": Math.max(style.fillOpacity, 0.25), "stroke-width": Math.min(style.weight, 2.5) }))
      );
    } else if (kind === "point") {
      box.appendChild(
        svg("circle", L.extend(stroke, { cx: 14, cy: 7, r: 5, fill: style.fillColor, "stroke-width": 2 }))
      );
    } else {
      box.appendChild(
        svg("line", L.extend(stroke, { x1: 1, y1: 7, x2: 27, y2: 7, "stroke-width": style.weight,
          "stroke-opacity": style.opacity === undefined ? 1 : style.opacity,
          "stroke-dasharray": style.dashArray || null }))
      );
    }
    return box;
  }

  function CorridorsMap(map, config) {
    this.id = Math.random().toString(36).slice(2);
    this.map = map;
    this.config = config;
    this.data = null;
    this.state = null;
    this.fitted = false;
    this.lastKey = null;
    this.link = "";
    map.setMinZoom(config.minZoom);
    map.setMaxZoom(config.maxZoom);
    this.groups = {}; // layer id -> L.FeatureGroup
    this.byCorridor = {}; // corridor id -> [L.Path]
    this.countryShapes = {}; // country or disputed-area id -> latlngs
    this.disputed = []; // {layer, owners, bloc}
    this.tiles = {};
    var self = this;
    Object.keys(config.basemaps).forEach(function (name) {
      var b = config.basemaps[name];
      self.tiles[name] = L.tileLayer(b.url, {
        attribution: b.attribution,
        maxZoom: b.maxZoom,
        subdomains: b.subdomains,
      });
    });
    this.notice = this.control("topleft", "cm-notice", "Loading map data…");
    this.share = this.shareControl();
    this.legend = this.control("bottomright", "cm-legend");
    map.on("moveend", function () {
      self.writeLink();
    });
    fetch(config.data, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(function (data) {
        self.build(data);
        self.map.removeControl(self.notice);
        if (self.state) self.apply(self.state);
      })
      .catch(function (error) {
        self.notice.getContainer().textContent =
          "The map data could not be loaded (" + error.message + "). Reload the page to try again.";
        self.notice.getContainer().classList.add("cm-error");
      });
  }

  CorridorsMap.prototype.control = function (position, className, text) {
    var Control = L.Control.extend({
      onAdd: function () {
        var box = el("div", "leaflet-control " + className, text);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    return new Control({ position: position }).addTo(this.map);
  };

  CorridorsMap.prototype.shareControl = function () {
    var control = this.control("topright", "leaflet-bar cm-share");
    var box = control.getContainer();
    var toggle = el("button", "cm-share-toggle", "Share this view");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var panel = el("div", "cm-share-panel");
    panel.hidden = true;
    var input = el("input", "cm-share-link");
    input.readOnly = true;
    input.setAttribute("aria-label", "Link to this view");
    var copy = el("button", "cm-share-copy", "Copy link");
    copy.type = "button";
    var status = el("div", "cm-share-status", "This link opens the map as you see it now.");
    panel.append(input, copy, status);
    box.append(toggle, panel);
    toggle.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) input.select();
    });
    copy.addEventListener("click", function () {
      input.select();
      var done = function () {
        status.textContent = "Copied.";
      };
      var manual = function () {
        status.textContent = "Press Ctrl+C (⌘C) to copy the selected link.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(done, manual);
      } else {
        manual();
      }
    });
    return { control: control, input: input, status: status };
  };

  CorridorsMap.prototype.pane = function (name, zIndex) {
    var pane = this.map.createPane(name);
    pane.style.zIndex = String(zIndex);
    return name;
  };

  CorridorsMap.prototype.build = function (data) {
    var self = this;
    var map = this.map;
    this.data = data;
    var scales = data.scales;
    var panes = {};
    Object.keys(data.panes).forEach(function (name) {
      panes[name] = self.pane("cm-" + name, data.panes[name]);
    });
    var layerById = {};
    data.layers.forEach(function (layer) {
      layerById[layer.id] = layer;
      self.groups[layer.id] = L.featureGroup();
      if (layer.pane) panes[layer.id] = self.pane("cm-" + layer.id, layer.pane);
    });
    this.groups.land = L.featureGroup();
    this.halo = L.featureGroup().addTo(map);

    data.countries.forEach(function (country) {
      var latlngs = country.polygons.map(function (rings) {
        return rings.map(function (ring) {
          return decode(ring, scales.countries);
        });
      });
      self.countryShapes[country.id] = latlngs;
      var dash = country.owners ? data.styles.disputedDash : null;
      var land = L.polygon(
        latlngs,
        L.extend({}, data.styles.land, { className: "layer-land", pane: panes.land, dashArray: dash })
      );
      land.bindTooltip(tipContent(country.tip), { sticky: true });
      self.groups.land.addLayer(land);
      data.layers.forEach(function (layer) {
        if (layer.group !== "bloc") return;
        var shape = L.polygon(
          latlngs,
          L.extend({}, layer.style, {
            className: "layer-" + layer.id,
            pane: panes[layer.id],
            dashArray: dash,
          })
        );
        shape.bindTooltip(tipContent(country.tip), { sticky: true });
        if (country.owners) {
          self.disputed.push({ shape: shape, owners: country.owners, bloc: layer.id });
        } else if (data.blocs[layer.id].indexOf(country.id) >= 0) {
          self.groups[layer.id].addLayer(shape);
        }
      });
    });

    data.features.forEach(function (feature) {
      var layer = layerById[feature.layer];
      var options = L.extend({}, feature.style, {
        className: "layer-" + feature.layer + " status-" + feature.status,
      });
      var shape;
      var target; // what the reader hovers and clicks
      if (feature.point) {
        shape = target = L.circleMarker(feature.point, L.extend(options, { pane: panes.places }));
      } else {
        var lines = feature.lines.map(function (part) {
          return decode(part, scales.lines);
        });
        // A 4 px dotted line is hard to hit, and its gaps do not take the pointer at all: an
        // invisible wide line on top carries the tooltip and the click.
        shape = L.polyline(lines, L.extend(options, { interactive: false }));
        target = L.polyline(lines, {
          className: "layer-" + feature.layer + " cm-hit",
          weight: 16,
          opacity: 0,
        });
        self.groups[layer.id].addLayer(shape);
      }
      target.bindTooltip(tipContent(feature.tip), { sticky: true });
      target.on("click", function () {
        self.select(feature.corridor);
      });
      shape.corridorsKind = feature.point ? "point" : "line";
      (self.byCorridor[feature.corridor] = self.byCorridor[feature.corridor] || []).push(shape);
      self.groups[layer.id].addLayer(target);
    });
  };

  // A click on a corridor selects it in the page: one rerun, carrying the corridor's id. The
  // timestamp makes a second click on the same corridor a new value, so it selects it again.
  CorridorsMap.prototype.select = function (corridor) {
    if (window.Streamlit && window.Streamlit.setComponentValue) {
      window.Streamlit.setComponentValue({ select: corridor, at: Date.now() });
    }
  };

  CorridorsMap.prototype.apply = function (state) {
    this.state = state;
    if (!this.data) return; // drawn when the data arrives
    var map = this.map;
    var self = this;
    var visible = {};
    state.layers.forEach(function (id) {
      visible[id] = true;
    });
    this.disputed.forEach(function (d) {
      var owner = d.owners[state.boundaries];
      var member = owner && self.data.blocs[d.bloc].indexOf(owner) >= 0;
      var group = self.groups[d.bloc];
      if (member && !group.hasLayer(d.shape)) group.addLayer(d.shape);
      if (!member && group.hasLayer(d.shape)) group.removeLayer(d.shape);
    });
    visible.land = state.basemap === "none";
    Object.keys(this.groups).forEach(function (id) {
      var group = self.groups[id];
      if (visible[id] && !map.hasLayer(group)) group.addTo(map);
      if (!visible[id] && map.hasLayer(group)) map.removeLayer(group);
    });
    Object.keys(this.tiles).forEach(function (name) {
      var tiles = self.tiles[name];
      if (name === state.basemap && !map.hasLayer(tiles)) tiles.addTo(map).bringToBack();
      if (name !== state.basemap && map.hasLayer(tiles)) map.removeLayer(tiles);
    });
    map.getContainer().style.background = state.basemap === "none" ? this.data.styles.sea : "";
    this.highlight(state.selection);
    this.drawLegend(state);
    this.setView(state);
    this.writeLink();
  };

  CorridorsMap.prototype.highlight = function (selection) {
    var colour = this.data.styles.selection;
    var halo = this.halo;
    var self = this;
    halo.clearLayers();
    this.haloCorridors = [];
    selection.countries.forEach(function (id) {
      var latlngs = self.countryShapes[id];
      if (!latlngs) return;
      halo.addLayer(
        L.polygon(latlngs, {
          pane: "cm-halo",
          className: "layer-selection",
          color: "#000000",
          weight: 2,
          fillColor: colour,
          fillOpacity: 0.45,
          interactive: false,
        })
      );
    });
    selection.corridors.forEach(function (id) {
      (self.byCorridor[id] || []).forEach(function (shape) {
        var options = { pane: "cm-halo", className: "layer-selection", color: colour, interactive: false };
        var ring;
        if (shape.corridorsKind === "point") {
          ring = L.circleMarker(shape.getLatLng(), L.extend(options, { radius: 13, weight: 6, fill: false }));
        } else {
          ring = L.polyline(shape.getLatLngs(), L.extend(options, { weight: 14, opacity: 0.9 }));
        }
        halo.addLayer(ring);
        self.haloCorridors.push(ring);
      });
    });
  };

  // The view moves only when the reader asks: on first load (the link's centre and zoom, else
  // its selection, else all corridors) and when a new corridor or excerpt is selected. Toggling
  // a layer or changing the basemap leaves the map where the reader left it.
  CorridorsMap.prototype.setView = function (state) {
    var key = state.selection.key;
    if (!this.fitted) {
      this.fitted = true;
      this.lastKey = key;
      if (state.center || state.zoom) {
        // A link may give only one of the two: the other comes from the corridors' extent.
        var bounds = L.latLngBounds(this.data.bounds);
        var center = bounds.getCenter();
        if (state.center) {
          var lon = state.center[1] < this.config.westEdge ? state.center[1] + 360 : state.center[1];
          center = L.latLng(state.center[0], lon);
        }
        var zoom = state.zoom || this.map.getBoundsZoom(bounds);
        this.map.setView(center, zoom, { animate: false });
      } else if (this.halo.getLayers().length) {
        this.fitSelection(false);
      } else {
        this.map.fitBounds(this.data.bounds, this.fitOptions(false));
      }
      return;
    }
    if (key !== this.lastKey) {
      this.lastKey = key;
      if (this.halo.getLayers().length) this.fitSelection(true);
    }
  };

  // An excerpt that names corridors and countries is about the corridors: fit those, and let
  // the highlighted countries show around them.
  CorridorsMap.prototype.fitSelection = function (animate) {
    var bounds = this.haloCorridors.length
      ? L.featureGroup(this.haloCorridors).getBounds()
      : this.halo.getBounds();
    var size = bounds.getNorthEast().distanceTo(bounds.getSouthWest());
    if (size < 1000) {
      this.map.setView(bounds.getCenter(), 7, { animate: animate });
    } else {
      this.map.fitBounds(bounds, L.extend(this.fitOptions(animate), { maxZoom: 8 }));
    }
  };

  // Fit inside the part of the map the legend and share box leave uncovered.
  CorridorsMap.prototype.fitOptions = function (animate) {
    var legend = this.legend.getContainer();
    var share = this.share.control.getContainer();
    var shown = !legend.hidden && legend.offsetHeight > 40; // folded, it is one line
    return {
      paddingTopLeft: [50, share.offsetHeight + 20],
      paddingBottomRight: [shown ? legend.offsetWidth + 20 : 20, 30],
      animate: animate,
    };
  };

  CorridorsMap.prototype.drawLegend = function (state) {
    var data = this.data;
    var root = this.legend.getContainer();
    if (!this.legendBody) {
      var details = el("details");
      // Open where it leaves most of the map free; a narrow map starts with it folded.
      details.open = this.map.getSize().x >= 900;
      details.appendChild(el("summary", null, "Legend"));
      this.legendBody = el("div");
      details.appendChild(this.legendBody);
      root.appendChild(details);
    }
    var box = this.legendBody;
    box.replaceChildren();
    var shown = data.layers.filter(function (layer) {
      return state.layers.indexOf(layer.id) >= 0;
    });
    root.hidden = !shown.length && !state.selection.key;
    var list = el("ul");
    var statuses = {};
    shown.forEach(function (layer) {
      var item = el("li");
      if (layer.group === "bloc") {
        item.appendChild(swatch("fill", layer.style));
      } else if (layer.group === "places") {
        item.appendChild(swatch("point", { color: layer.colour, fillColor: layer.colour }));
      } else {
        item.appendChild(swatch("line", { color: layer.colour, weight: 4 }));
      }
      item.appendChild(el("span", null, layer.name));
      list.appendChild(item);
      data.features.forEach(function (f) {
        if (f.layer === layer.id && !f.point) statuses[f.status] = true;
      });
    });
    box.appendChild(list);
    var names = Object.keys(statuses).sort();
    if (names.length) {
      var status = el("ul", "cm-legend-status");
      names.forEach(function (name) {
        var item = el("li");
        item.appendChild(swatch("line", L.extend({ color: "#333333", weight: 3 }, data.statuses[name])));
        item.appendChild(el("span", null, data.statuses[name].label));
        status.appendChild(item);
      });
      box.appendChild(status);
    }
    if (state.selection.key) {
      var selected = el("ul");
      var item = el("li");
      item.appendChild(swatch("line", { color: data.styles.selection, weight: 8 }));
      item.appendChild(el("span", null, "Selected"));
      selected.appendChild(item);
      box.appendChild(selected);
    }
  };

  // The page's address always holds the link to what is on screen. replaceState, never
  // pushState: panning must not fill the browser's history.
  CorridorsMap.prototype.writeLink = function () {
    if (!this.state) return;
    var center = this.map.getCenter().wrap();
    var page = null;
    try {
      page = window.parent.location;
      void page.href; // a cross-origin parent throws here
    } catch (error) {
      page = null;
    }
    var pageParams = [];
    if (page) {
      new URLSearchParams(page.search).forEach(function (value, key) {
        pageParams.push([key, value]);
      });
    }
    var query = this.linkQuery(this.state.query, [center.lat, center.lng], this.map.getZoom(), pageParams);
    var base = page ? page.origin + page.pathname : "";
    var link = base + (query ? "?" + query : "");
    if (link === this.link) return;
    this.link = link;
    this.share.input.value = link;
    if (page && page.href !== link) {
      window.parent.history.replaceState(window.parent.history.state, "", link);
    }
  };

  CorridorsMap.prototype.linkQuery = function (query, center, zoom, pageParams) {
    return linkQuery(this.config.link, query, center, zoom, pageParams);
  };

  window.corridorsMap = {
    linkQuery: linkQuery,
    init: function (map, config) {
      window.corridorsMapInstance = new CorridorsMap(map, config);
    },
    apply: function (state) {
      if (window.corridorsMapInstance) window.corridorsMapInstance.apply(state);
    },
  };
})();
