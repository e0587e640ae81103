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
  var TILE_TIMEOUT_MS = 20000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // The data gives what changes with the date as spans of days, [from, to, value], ISO days or
  // null for an open end (to is exclusive). The rules of which day a dated record starts on are
  // the Python side's (corridors.dates); here a day only has to fall between two strings.
  function holds(span, day) {
    return (span[0] === null || span[0] <= day) && (span[1] === null || day < span[1]);
  }

  function valueOn(spans, day) {
    for (var i = 0; i < spans.length; i++) {
      if (holds(spans[i], day)) return spans[i][2];
    }
    return null;
  }

  // A bloc's members on `day`, {iso_a3: true}, from its spans [from, to, [iso_a3, ...]].
  function membersOn(spans, day) {
    var members = {};
    spans.forEach(function (span) {
      if (!holds(span, day)) return;
      span[2].forEach(function (id) {
        members[id] = true;
      });
    });
    return members;
  }

  // [lat0, lon0, dlat1, dlon1, ...] integers -> [[lat, lon], ...] integers
  function decodeInts(flat) {
    var out = [];
    var lat = 0;
    var lon = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      lat += flat[i];
      lon += flat[i + 1];
      out.push([lat, lon]);
    }
    return out;
  }

  // The same in degrees, for integers in 1/scale degrees.
  function decode(flat, scale) {
    return decodeInts(flat).map(function (point) {
      return [point[0] / scale, point[1] / scale];
    });
  }

  // A ring clipped to a tile, as the lines to stroke: the ring less its stretches along the
  // tile's edges (`box` is [south, west, north, east] in the ring's integer units), so where
  // tiles meet no border is drawn.
  function outlineRuns(points, box, scale) {
    var runs = [];
    var run = [points[0]];
    var flush = function () {
      if (run.length > 1) {
        runs.push(
          run.map(function (p) {
            return [p[0] / scale, p[1] / scale];
          })
        );
      }
    };
    for (var i = 1; i < points.length; i++) {
      var a = points[i - 1];
      var b = points[i];
      var alongEdge =
        (a[0] === b[0] && (a[0] === box[0] || a[0] === box[2])) ||
        (a[1] === b[1] && (a[1] === box[1] || a[1] === box[3]));
      if (alongEdge) {
        flush();
        run = [b];
      } else {
        run.push(b);
      }
    }
    flush();
    return runs;
  }

  // A JSON document from the app's server, or one already inline (the offline briefing,
  // corridors/briefing.py, carries its data in the page itself and fetches nothing).
  function loadJson(source) {
    if (typeof source !== "string") return Promise.resolve(source);
    return fetch(source, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("the server answered " + response.status);
      return response.json();
    });
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
    if (tip.more) box.appendChild(el("div", "cm-tip-more", tip.more));
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

  // Wide enough for a line to show a whole period of the longest dash pattern and the gap after
  // it (operating in season: 22 on, 8 off), so each status's swatch reads as its pattern.
  var SWATCH_WIDTH = 40;

  // A legend's sample of a line, a point or an area; for an area, `style` may be a list of
  // styles, drawn one over the other as the map stacks them (countries in two blocs).
  function swatch(kind, style) {
    var box = svg("svg", { width: SWATCH_WIDTH, height: 14, "aria-hidden": "true" });
    var stroke = { stroke: style.color };
    if (kind === "fill") {
      [].concat(style).forEach(function (s) {
        box.appendChild(
          svg("rect", { x: 2, y: 2, width: SWATCH_WIDTH - 4, height: 10, fill: s.fillColor, stroke: s.color,
            "fill-opacity": s.fillOpacity, "stroke-width": Math.min(s.weight, 2.5) })
        );
      });
    } else if (kind === "point") {
      box.appendChild(
        svg("circle", L.extend(stroke, { cx: SWATCH_WIDTH / 2, cy: 7, r: 5, fill: style.fillColor, "stroke-width": 2 }))
      );
    } else {
      box.appendChild(
        svg("line", L.extend(stroke, { x1: 1, y1: 7, x2: SWATCH_WIDTH - 1, y2: 7, "stroke-width": style.weight,
          "stroke-opacity": style.opacity === undefined ? 1 : style.opacity,
          "stroke-dasharray": style.dashArray || null }))
      );
    }
    return box;
  }

  // A place's label keeps this many pixels from its point (beyond its marker's radius).
  var LABEL_GAP = 9;
  // Labels keep this many pixels from each other, the map's edges and its controls.
  var LABEL_MARGIN = 3;
  // Places along a line tried for its label, from the middle of its length outwards.
  var LABEL_TRIES = 24;

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Where a label may sit around its anchor, in order of preference: a corridor's centred on
  // its line, a place's beside its point, else to the left, above or below. Each is the box's
  // top-left corner from the anchor, given the label's width and height.
  var LABEL_SIDES = {
    line: [function (w, h) { return [-w / 2, -h / 2]; }],
    point: [
      function (w, h) { return [LABEL_GAP, -h / 2]; },
      function (w, h) { return [-LABEL_GAP - w, -h / 2]; },
      function (w, h) { return [-w / 2, -LABEL_GAP - h]; },
      function (w, h) { return [-w / 2, LABEL_GAP]; },
    ],
  };

  // Where `label` goes: a point of its longest part drawn on the date (the middle of its length
  // first) and a side of it, from which its box lies inside the map and clear of `taken`, as
  // {latlng, box, shift} (box in the map's pixels, with the margin; shift the text's offset from
  // the anchor), or null. Only parts at least `shortest` long (in pixels at zoom 0) are tried:
  // a line shorter on screen than its name is not named, unless it is selected.
  function fitLabel(label, map, size, shortest, taken) {
    var w = label.size.x;
    var h = label.size.y;
    var m = LABEL_MARGIN;
    var sides = LABEL_SIDES[label.point ? "point" : "line"];
    var parts = label.parts.filter(function (part) {
      return part.drawn.state && part.length >= shortest;
    });
    for (var p = 0; p < parts.length; p++) {
      var part = parts[p];
      var n = part.latlngs.length;
      var step = Math.max(1, Math.floor(n / LABEL_TRIES));
      var tries = [];
      for (var i = 0; i < n; i += step) tries.push(i);
      var half = part.length / 2;
      tries.sort(function (a, b) {
        return Math.abs(part.along[a] - half) - Math.abs(part.along[b] - half);
      });
      for (var t = 0; t < tries.length; t++) {
        var latlng = part.latlngs[tries[t]];
        var at = map.latLngToContainerPoint(latlng);
        for (var k = 0; k < sides.length; k++) {
          var shift = sides[k](w, h);
          var left = at.x + shift[0];
          var top = at.y + shift[1];
          var box = { left: left - m, top: top - m, right: left + w + m, bottom: top + h + m };
          if (box.left < 0 || box.top < 0 || box.right > size.x || box.bottom > size.y) continue;
          var clear = taken.every(function (other) {
            return !overlaps(box, other);
          });
          if (clear) return { latlng: latlng, box: box, shift: shift };
        }
      }
    }
    return null;
  }

  // A tooltip stays inside the map whatever the feature's place: Leaflet puts a sticky one
  // beside the pointer, which near an edge leaves it clipped by the frame or over the legend.
  // (Patched when the first map is made: the link's rules are also run without Leaflet.)
  function keepTooltipsInside() {
    if (L.Tooltip.prototype.corridorsKept) return;
    var placeTooltip = L.Tooltip.prototype._setPosition;
    L.Tooltip.include({
      corridorsKept: true,
      _setPosition: function (pos) {
        placeTooltip.call(this, pos);
        var map = this._map;
        var box = this._container;
        if (!map || !box) return;
        var margin = 4;
        var frame = map.getContainer().getBoundingClientRect();
        var rect = box.getBoundingClientRect(); // with the margin its direction class gives it
        // Moved back inside; its left and top edges win where it is wider or taller than the map.
        function shift(low, high, frameLow, frameHigh) {
          var by = high > frameHigh - margin ? frameHigh - margin - high : 0;
          return low + by < frameLow + margin ? frameLow + margin - low : by;
        }
        var dx = shift(rect.left, rect.right, frame.left, frame.right);
        var dy = shift(rect.top, rect.bottom, frame.top, frame.bottom);
        // Nor under the controls (zoom, share and date at the top, the legend at the bottom),
        // which lie above every pane: below those at the top, then above those at the bottom
        // where it still fits under the top of the map.
        var container = map.getContainer();
        var covering = function (selector) {
          return Array.prototype.map
            .call(container.querySelectorAll(selector), function (control) {
              return control.getBoundingClientRect();
            })
            .filter(function (c) {
              return c.height && !(rect.right + dx <= c.left || c.right <= rect.left + dx ||
                rect.bottom + dy <= c.top || c.bottom <= rect.top + dy);
            });
        };
        covering(".leaflet-top .leaflet-control").forEach(function (c) {
          dy = Math.max(dy, c.bottom + margin - rect.top);
        });
        covering(".leaflet-bottom .leaflet-control").forEach(function (c) {
          var up = c.top - margin - rect.bottom;
          if (rect.top + up >= frame.top + margin) dy = Math.min(dy, up);
        });
        if (dx || dy) L.DomUtil.setPosition(box, L.DomUtil.getPosition(box).add([dx, dy]));
      },
    });
  }

  // Leaflet focuses the map on a press (for its keyboard), undoing the scroll of its own window
  // only. In the page, focusing a frame that is partly out of view scrolls the page to show
  // it, between press and release: the release lands on another place and the click is lost
  // (a tap on a phone missed its route by the 59 px the page jumped).
  function focusWithoutScrolling(map) {
    // Its listener was bound when the map was made: unbound while the method is the old one,
    // and bound again to the new.
    var bound = map.keyboard && map.keyboard.enabled();
    if (bound) map.keyboard.disable();
    if (!L.Map.Keyboard.prototype.corridorsKept) {
      L.Map.Keyboard.include({
        corridorsKept: true,
        _onMouseDown: function () {
          if (!this._focused) this._map.getContainer().focus({ preventScroll: true });
        },
      });
    }
    if (bound) map.keyboard.enable();
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
    keepTooltipsInside();
    focusWithoutScrolling(map);
    this.clearOnClickAndEscape();
    this.groups = {}; // layer id -> L.FeatureGroup
    this.byCorridor = {}; // corridor id -> its entries in this.features
    this.countryShapes = {}; // country or disputed-area id -> latlngs (1:50m)
    // Every country's shape in every bloc layer, {shape, id, owners, bloc, group}: shown in its
    // group while the country (for a disputed area, its owner under the border view) belongs to
    // the bloc on the view's date.
    this.placed = [];
    this.features = []; // {feature, shape, target, group, state}: each corridor feature drawn
    this.day = null; // the date shown, an ISO day
    this.members = {}; // bloc id -> {iso_a3: true} on this.day
    // Country shapes of the land layer and each bloc layer, as drawn below the detail zoom
    // ("coarse") and from it up ("detail"): layer id -> L.FeatureGroup inside that layer's group.
    this.borders = { coarse: {}, detail: {} };
    this.detailTiles = {}; // tile key -> "loading", "failed" or true (drawn)
    this.detailShapes = {}; // id -> {fill: latlngs, outline: [latlngs]}, its loaded tiles' pieces
    this.detailDrawn = {}; // id -> the shapes drawCountry made from them
    this.detailShown = false;
    // A compared sea route (corridors/routeview.py): its lines' document URL, the lines drawn
    // from it by route id, and whether to fit the view to them once they arrive.
    this.routeUrl = null;
    this.routeLines = {};
    this.routeFit = false;
    this.routeNotice = null;
    this.tiles = {};
    var self = this;
    Object.keys(config.basemaps).forEach(function (name) {
      var b = config.basemaps[name];
      self.tiles[name] = L.tileLayer(b.url, {
        attribution: b.attribution,
        maxZoom: b.maxZoom,
        subdomains: b.subdomains,
      })
        .on("tileerror", function () {
          self.tileStatus(true);
        })
        .on("tileload", function () {
          self.tileStatus(false);
        });
    });
    // The frame says what it holds (Streamlit names it after the component).
    if (config.title && window.frameElement) window.frameElement.setAttribute("title", config.title);
    // In the page the map fills its frame, whose height the page's stylesheet sets (shorter on a
    // phone) where the page gives it a fixed one; Leaflet follows the frame's resizes. The frame
    // may have no height yet when this runs: the first view waits for one (setView).
    if (window.frameElement) {
      map.getContainer().style.height = "100vh";
      map.invalidateSize();
    }
    // Leaflet makes every shape with a tooltip focusable: about 180 Tab stops, one per country,
    // before anything under the map. The map itself is one Tab stop (Leaflet's container: the
    // arrows pan, + and - zoom); corridors are chosen from the Corridor list or the table.
    var untab = function (node) {
      if (node.nodeType !== 1) return;
      if (node.matches("path.leaflet-interactive")) node.setAttribute("tabindex", "-1");
      node.querySelectorAll("path.leaflet-interactive").forEach(function (path) {
        path.setAttribute("tabindex", "-1");
      });
    };
    // Nor does a press focus a shape (the browser's default): focusing it scrolled the page to
    // show the whole frame between press and release, and the release, landing on another
    // place, lost the click. The map itself takes the focus (focusWithoutScrolling).
    map.getContainer().addEventListener(
      "mousedown",
      function (event) {
        if (event.target.matches && event.target.matches("path.leaflet-interactive")) event.preventDefault();
      },
      true
    );
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(untab);
      });
    }).observe(map.getContainer(), { childList: true, subtree: true });
    this.gestures(map);
    this.notice = this.control("topleft", "cm-notice", "Loading map data…");
    this.share = this.shareControl();
    this.dateBox = this.control("topright", "cm-notice cm-date");
    this.legend = this.control("bottomright", "cm-legend");
    map.on("resize", function () {
      self.placeLabels();
    });
    map.on("moveend", function () {
      self.placeLabels();
      self.writeLink();
      // A tile that failed is tried again when the reader moves the map (never in a loop).
      Object.keys(self.detailTiles).forEach(function (key) {
        if (self.detailTiles[key] === "failed") delete self.detailTiles[key];
      });
      self.updateDetail();
    });
    loadJson(config.data)
      .then(function (data) {
        self.build(data);
        self.map.removeControl(self.notice);
        if (self.state) self.apply(self.state);
        self.updateDetail();
      })
      .catch(function (error) {
        self.notice.getContainer().textContent =
          "The map data could not be loaded (" + error.message + "). Reload the page to try again.";
        self.notice.getContainer().classList.add("cm-error");
      });
  }

  // The map never takes the page's scroll from a reader who is reading past it. On a touch
  // screen one finger scrolls the page (the browser's own pan, as Leaflet's stylesheet allows
  // once dragging is off) and two fingers move and zoom the map (Leaflet's pinch follows its
  // centre); a one-finger touch says so. The wheel scrolls the page until the map is clicked
  // or focused, and again once the pointer leaves it or it loses focus.
  CorridorsMap.prototype.gestures = function (map) {
    var self = this;
    var touch = L.Browser.mobile || (window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
    this.touch = touch;
    if (touch) {
      map.dragging.disable();
      map.getContainer().addEventListener(
        "touchstart",
        function (event) {
          if (event.touches.length === 1) self.hint("Use two fingers to move the map", 1500);
        },
        { passive: true }
      );
    }
    map.scrollWheelZoom.disable();
    map.on("click focus", function () {
      map.scrollWheelZoom.enable();
    });
    // The container's own mouseleave: Leaflet's "mouseout" goes to the line or country the
    // pointer leaves from, so after a click on a line the wheel would stay the map's.
    map.on("blur", function () {
      map.scrollWheelZoom.disable();
    });
    map.getContainer().addEventListener("mouseleave", function () {
      map.scrollWheelZoom.disable();
    });
  };

  // A passing word in the middle of the map, where the finger is (a corner may be scrolled away).
  CorridorsMap.prototype.hint = function (text, ms) {
    var self = this;
    if (!this.touchHint) {
      this.touchHint = el("div", "cm-notice cm-touch-hint");
      this.map.getContainer().appendChild(this.touchHint);
    }
    this.touchHint.textContent = text;
    clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(function () {
      if (self.touchHint) self.touchHint.remove();
      self.touchHint = null;
    }, ms);
  };

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
    var panes = (this.panes = {});
    Object.keys(data.panes).forEach(function (name) {
      panes[name] = self.pane("cm-" + name, data.panes[name]);
    });
    var layerById = {};
    data.layers.forEach(function (layer) {
      layerById[layer.id] = layer;
      self.groups[layer.id] = L.featureGroup();
      if (layer.pane) panes[layer.id] = self.pane("cm-" + layer.id, layer.pane);
      // A cased bloc's casing, just under its outline and over the blocs drawn below it.
      if (layer.cased) panes[layer.id + "-casing"] = self.pane("cm-" + layer.id + "-casing", layer.pane - 1);
    });
    this.groups.land = L.featureGroup();
    this.halo = L.featureGroup().addTo(map);
    this.routes = L.featureGroup().addTo(map);
    // Where each country is drawn: the land layer and every bloc layer, each with its style.
    this.countryStyles = [{ id: "land", style: data.styles.land }].concat(
      data.layers
        .filter(function (layer) {
          return layer.group === "bloc";
        })
        .map(function (layer) {
          return { id: layer.id, style: layer.style, cased: layer.cased };
        })
    );
    this.countries = {};
    this.countryStyles.forEach(function (entry) {
      self.borders.coarse[entry.id] = L.featureGroup().addTo(self.groups[entry.id]);
      self.borders.detail[entry.id] = L.featureGroup();
    });

    data.countries.forEach(function (country) {
      self.countries[country.id] = country;
      var latlngs = country.polygons.map(function (rings) {
        return rings.map(function (ring) {
          return decode(ring, scales.countries);
        });
      });
      self.countryShapes[country.id] = latlngs;
      if (latlngs.length) self.drawCountry(country.id, latlngs, null, self.borders.coarse);
    });

    data.features.forEach(function (feature) {
      var layer = layerById[feature.layer];
      // Styled, and added to its layer, by showDay() for the date the view asks for.
      var options = { className: "layer-" + feature.layer };
      var shape;
      var target; // what the reader hovers and clicks
      // Its white casing (registry.CASING_COLOUR), sized by showDay(): what lies next to the
      // line or point is the casing, whatever the tiles show.
      var casing = {
        pane: panes.casings,
        className: "cm-casing layer-casing-" + feature.layer,
        interactive: false,
        color: data.styles.casing.color,
        fill: false,
        lineCap: "round",
      };
      if (feature.point) {
        casing = L.circleMarker(feature.point, casing);
        shape = target = L.circleMarker(feature.point, L.extend(options, { pane: panes.places }));
      } else {
        var lines = feature.lines.map(function (part) {
          return decode(part, scales.lines);
        });
        // A 4 px dotted line is hard to hit, and its gaps do not take the pointer at all: an
        // invisible wide line on top carries the tooltip and the click.
        casing = L.polyline(lines, casing);
        shape = L.polyline(lines, L.extend(options, { interactive: false }));
        target = L.polyline(lines, {
          className: "layer-" + feature.layer + " cm-hit",
          weight: 16,
          opacity: 0,
        });
      }
      target.bindTooltip("", { sticky: true });
      target.on("click", function (event) {
        L.DomEvent.stopPropagation(event); // the map's own click clears the selection
        self.select({ select: feature.corridor });
      });
      shape.corridorsKind = feature.point ? "point" : "line";
      var drawn = { feature: feature, casing: casing, shape: shape, target: target, group: self.groups[layer.id], state: null };
      self.features.push(drawn);
      (self.byCorridor[feature.corridor] = self.byCorridor[feature.corridor] || []).push(drawn);
    });
    this.buildLabels();
  };

  // Statuses, styles and tooltips as on `day`; a feature before its first dated status is not
  // drawn (the legend lists it). Bloc members as on `day`, placed by place().
  CorridorsMap.prototype.showDay = function (day) {
    this.day = day;
    var self = this;
    this.features.forEach(function (f) {
      var state = valueOn(f.feature.states, day);
      if (state === f.state) return;
      var drawn = [f.casing, f.shape, f.target];
      if (!state) {
        drawn.forEach(function (layer) {
          f.group.removeLayer(layer);
        });
      } else {
        var className = "layer-" + f.feature.layer + " status-" + state.status;
        f.shape.setStyle(state.style);
        f.casing.setStyle({ weight: state.style.weight + self.data.styles.casing.width, radius: state.style.radius });
        f.shape.options.className = className; // used when the path is next created
        var path = f.shape.getElement && f.shape.getElement();
        if (path) {
          if (f.state) path.classList.remove("status-" + f.state.status);
          path.classList.add("status-" + state.status);
        }
        var tip = f.feature.tip;
        f.target.setTooltipContent(
          tipContent({ title: tip.title, subtitle: tip.subtitle, facts: [state.fact].concat(tip.facts), sources: tip.sources, more: tip.more })
        );
        drawn.forEach(function (layer) {
          if (!f.group.hasLayer(layer)) f.group.addLayer(layer);
        });
      }
      f.state = state;
    });
    Object.keys(this.data.blocs).forEach(function (bloc) {
      self.members[bloc] = membersOn(self.data.blocs[bloc], day);
    });
  };

  // One country's (or disputed area's) shapes in the land layer and in each bloc layer it
  // belongs to, added to `sets` (this.borders.coarse or .detail). A disputed area goes to a bloc
  // by its owner under the border view; each waits in this.placed for the view (place()).
  CorridorsMap.prototype.drawCountry = function (id, latlngs, outlines, sets) {
    var self = this;
    var country = this.countries[id];
    if (!country) return;
    var dash = country.owners ? this.data.styles.disputedDash : null;
    var shapes = [];
    this.countryStyles.forEach(function (entry) {
      var shape = self.countryShape(
        latlngs,
        outlines,
        L.extend({}, entry.style, {
          className: "layer-" + entry.id + (outlines ? " cm-detail" : ""),
          pane: self.panes[entry.id],
          dashArray: dash,
        })
      );
      // Built when shown: a disputed area's tooltip changes with the date.
      shape.bindTooltip(function () {
        var tip = country.tips ? valueOn(country.tips, self.day) : country.tip;
        return tipContent(L.extend({}, tip, { more: self.data.placeMore }));
      }, { sticky: true });
      shape.on("click", function (event) {
        L.DomEvent.stopPropagation(event); // not the map's click, which clears the selection
        self.select({ country: id });
      });
      shapes.push(shape);
      if (entry.id === "land") {
        sets.land.addLayer(shape);
        return;
      }
      var drawn = [shape];
      if (entry.cased) {
        var casing = self.data.styles.casing;
        drawn.unshift(
          self.countryShape(latlngs, outlines, {
            className: "cm-casing layer-casing-" + entry.id + (outlines ? " cm-detail" : ""),
            pane: self.panes[entry.id + "-casing"],
            color: casing.color,
            weight: entry.style.weight + casing.width,
            fill: false,
            interactive: false,
          })
        );
      }
      drawn.forEach(function (layer) {
        var placed = { shape: layer, id: id, owners: country.owners, bloc: entry.id, group: sets[entry.id] };
        self.placed.push(placed);
        if (self.state && self.day) self.placeOne(placed, self.state.boundaries);
      });
    });
    return shapes;
  };

  // A polygon; a piece clipped to a tile (with `outlines`) is filled without a stroke and its
  // outlines stroked on top, so the tile's edges never show as borders.
  CorridorsMap.prototype.countryShape = function (latlngs, outlines, options) {
    if (!outlines) return L.polygon(latlngs, options);
    // Pieces of one country meet along tile edges: under "nonzero" their shared edges cancel
    // (they run opposite ways), where "evenodd" leaves an anti-aliased seam; and Leaflet's
    // per-zoom simplification (smoothFactor) would move the points on those edges apart.
    var detail = { smoothFactor: 0 };
    return L.featureGroup([
      L.polygon(latlngs, L.extend({}, options, detail, { stroke: false, fillRule: "nonzero" })),
      L.polyline(outlines, L.extend({}, options, detail, { fill: false, interactive: false })),
    ]);
  };

  // Detailed borders: from the detail zoom up, the tiles covering the view are fetched (once
  // each) and drawn instead of the 1:50m shapes. Coming from the 1:50m shapes, those stay until
  // every tile of the view has arrived; once the detailed borders are up they stay while more
  // tiles arrive (each fills its area as it lands, as basemap tiles do), since flipping the whole
  // view back for a moment makes every border jump. A failed tile brings the 1:50m shapes back,
  // so no area is left empty.
  CorridorsMap.prototype.updateDetail = function () {
    var detail = this.data && this.data.detail;
    if (!detail || !this.config.borders) return;
    var self = this;
    var keys = this.map.getZoom() >= detail.zoom ? this.visibleTiles(detail) : [];
    var waiting = keys.filter(function (key) {
      return self.detailTiles[key] !== true;
    });
    waiting.forEach(function (key) {
      if (!self.detailTiles[key]) self.fetchTile(detail, key);
    });
    var anyFailed = waiting.some(function (key) {
      return self.detailTiles[key] === "failed";
    });
    this.showDetail(keys.length > 0 && !anyFailed && (waiting.length === 0 || this.detailShown));
    var loading = waiting.some(function (key) {
      return self.detailTiles[key] === "loading";
    });
    var failed = waiting.length > 0 && !loading;
    this.detailStatus(
      loading
        ? "Loading detailed borders…"
        : failed
          ? "Detailed borders could not be loaded here; showing simplified ones."
          : null
    );
  };

  CorridorsMap.prototype.visibleTiles = function (detail) {
    var bounds = this.map.getBounds();
    var size = detail.tileDegrees;
    var keys = [];
    var west = Math.floor(bounds.getWest() / size);
    var east = Math.floor(bounds.getEast() / size);
    var south = Math.floor(Math.max(bounds.getSouth(), -90) / size);
    var north = Math.floor(Math.min(bounds.getNorth(), 89.999) / size);
    for (var col = west; col <= east; col++) {
      for (var row = south; row <= north; row++) {
        var x = col - detail.origin[0];
        var y = row - detail.origin[1];
        if (x < 0 || x >= detail.cols || y < 0) continue;
        if (detail.cells.charAt(y * detail.cols + x) === "1") keys.push(col + "_" + row);
      }
    }
    return keys;
  };

  CorridorsMap.prototype.fetchTile = function (detail, key) {
    var self = this;
    this.detailTiles[key] = "loading";
    // A request that never answers counts as failed after a while, so it is tried again.
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, TILE_TIMEOUT_MS);
    fetch(this.config.borders + "/" + key + ".json", {
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(function (pieces) {
        self.drawTile(detail, key, pieces);
        self.detailTiles[key] = true;
      })
      .catch(function () {
        self.detailTiles[key] = "failed";
      })
      .then(function () {
        clearTimeout(timer);
        self.updateDetail();
      });
  };

  CorridorsMap.prototype.drawTile = function (detail, key, pieces) {
    var self = this;
    var corner = key.split("_").map(Number);
    var side = detail.tileDegrees * detail.scale;
    var box = [corner[1] * side, corner[0] * side, (corner[1] + 1) * side, (corner[0] + 1) * side];
    pieces.forEach(function (piece) {
      var id = piece[0];
      var shape = (self.detailShapes[id] = self.detailShapes[id] || { fill: [], outline: [] });
      piece[1].forEach(function (rings) {
        shape.fill.push(
          rings.map(function (ring) {
            var points = decodeInts(ring);
            shape.outline.push.apply(shape.outline, outlineRuns(points, box, detail.scale));
            return decode(ring, detail.scale);
          })
        );
      });
      self.redrawDetail(id);
    });
  };

  // A country's detailed shapes: one path for all its loaded tiles, because adjacent tiles'
  // translucent fills drawn as separate paths show a faint seam along the tile's edge.
  CorridorsMap.prototype.redrawDetail = function (id) {
    var old = this.detailDrawn[id] || [];
    var sets = this.borders.detail;
    old.forEach(function (shape) {
      Object.keys(sets).forEach(function (layer) {
        sets[layer].removeLayer(shape);
      });
    });
    this.placed = this.placed.filter(function (p) {
      return old.indexOf(p.shape) < 0;
    });
    var shape = this.detailShapes[id];
    this.detailDrawn[id] = this.drawCountry(id, shape.fill, shape.outline, sets);
    // A highlighted country grew by a tile: its highlight follows.
    if (this.detailShown && this.state && this.state.selection.countries.indexOf(id) >= 0) {
      this.highlight(this.state.selection);
    }
  };

  CorridorsMap.prototype.showDetail = function (on) {
    if (on === this.detailShown) return;
    this.detailShown = on;
    var self = this;
    this.countryStyles.forEach(function (entry) {
      var group = self.groups[entry.id];
      group.removeLayer(on ? self.borders.coarse[entry.id] : self.borders.detail[entry.id]);
      group.addLayer(on ? self.borders.detail[entry.id] : self.borders.coarse[entry.id]);
    });
    if (this.state) this.highlight(this.state.selection);
  };

  CorridorsMap.prototype.detailStatus = function (text) {
    if (text && !this.detailNotice) {
      this.detailNotice = this.control("topleft", "cm-notice cm-detail-status");
      this.detailNotice.getContainer().setAttribute("role", "status");
    }
    if (!this.detailNotice) return;
    if (text) {
      this.detailNotice.getContainer().textContent = text;
    } else {
      this.map.removeControl(this.detailNotice);
      this.detailNotice = null;
    }
  };

  // A click on a corridor selects it in the page: one rerun, carrying the corridor's id. The
  // timestamp makes a second click on the same corridor a new value, so it selects it again.
  // A click on the map away from every corridor, or Esc, clears the selection (the corridor
  // and a paragraph's highlight): "" is the page's word for none.
  CorridorsMap.prototype.clearOnClickAndEscape = function () {
    var self = this;
    function clear() {
      if (self.state && self.state.selection.key) self.select({ select: "" });
    }
    this.map.on("click", clear);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") clear();
    });
  };

  // `choice` is {select: corridor id} or {country: id}; the page reads it (page.map_click).
  // On a touch screen a tap opens the feature's hover too, which would cover the map and stay:
  // closed, and the reader told where the record is.
  CorridorsMap.prototype.select = function (choice) {
    if (this.touch && (choice.select || choice.country)) {
      this.map.eachLayer(function (layer) {
        if (layer.closeTooltip) layer.closeTooltip();
      });
      this.hint("Its record and sources are below the map", 2500);
    }
    if (window.Streamlit && window.Streamlit.setComponentValue) {
      window.Streamlit.setComponentValue(L.extend({ at: Date.now() }, choice));
    }
  };

  // The compared routes: their lines fetched when the pair changes (one small file per pair),
  // their tooltips (which carry the speed's days at sea) set from the view on every apply.
  // They lie under the corridors' lines (their pane is lower), so where a route runs along a
  // corridor the corridor stays drawn on it and its own tooltip answers there.
  CorridorsMap.prototype.showRoute = function (route) {
    var self = this;
    var url = route ? route.url : null;
    if (url !== this.routeUrl) {
      this.routeUrl = url;
      this.routes.clearLayers();
      this.routeLines = {};
      this.routeStatus(null);
      if (url) {
        this.routeFit = this.routeFit || this.fitted; // the first view is setView's to choose
        loadJson(route.doc || url)
          .then(function (doc) {
            if (self.routeUrl !== url) return; // another pair was asked for meanwhile
            self.drawRoute(doc);
          })
          .catch(function (error) {
            if (self.routeUrl !== url) return;
            self.routeStatus("The sea routes could not be loaded (" + error.message + "). Compare the ports again to retry.");
          });
      }
    }
    if (!route) return;
    Object.keys(this.routeLines).forEach(function (id) {
      self.routeLines[id].hit.setTooltipContent(tipContent(route.tips[id]));
    });
  };

  CorridorsMap.prototype.drawRoute = function (doc) {
    var self = this;
    var colours = {};
    this.state.route.legend.routes.forEach(function (r) {
      colours[r.id] = r.colour;
    });
    var drawn = doc.routes.map(function (r) {
      return {
        id: r.id,
        latlngs: r.lines.map(function (part) {
          return decode(part, doc.scale);
        }),
        // Wide bands under the corridors' lines, Suez first and widest: where the Cape route
        // shares its way across the Indian Ocean, its band runs inside the Suez one.
        weight: r.id === "suez" ? 10 : 5,
      };
    });
    var options = { pane: "cm-routes", interactive: false };
    // Casings under every band set the routes apart from the land and seas they cross, without
    // covering each other.
    var style = this.data.styles.casing;
    drawn.forEach(function (r) {
      var casing = { className: "cm-casing layer-casing-route-" + r.id, color: style.color, weight: r.weight + style.width };
      self.routes.addLayer(L.polyline(r.latlngs, L.extend({}, options, casing)));
    });
    drawn.forEach(function (r) {
      var line = L.polyline(
        r.latlngs,
        L.extend({}, options, { className: "layer-route-" + r.id, color: colours[r.id], weight: r.weight })
      );
      self.routes.addLayer(line);
    });
    drawn.forEach(function (r) {
      var hit = L.polyline(r.latlngs, { pane: "cm-routes", className: "layer-route-" + r.id + " cm-hit", weight: 16, opacity: 0 });
      hit.bindTooltip(tipContent(self.state.route.tips[r.id]), { sticky: true });
      self.routes.addLayer(hit);
      self.routeLines[r.id] = { hit: hit };
    });
    if (this.routeFit) {
      this.routeFit = false;
      var bounds = this.routes.getBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds, this.fitOptions(true, bounds));
    }
  };

  // Tiles that do not load (offline, or the provider down) leave a blank grey map: said so,
  // with the way out, until a tile of the basemap loads or another basemap is chosen.
  CorridorsMap.prototype.tileStatus = function (failed) {
    if (failed && !this.tileNotice) {
      this.tileNotice = this.control("topleft", "cm-notice cm-error",
        "The basemap's tiles are not loading. Basemap: None (in the sidebar) draws the map without them.");
      this.tileNotice.getContainer().setAttribute("role", "status");
    } else if (!failed && this.tileNotice) {
      this.map.removeControl(this.tileNotice);
      this.tileNotice = null;
    }
  };

  CorridorsMap.prototype.routeStatus = function (text) {
    if (this.routeNotice) this.map.removeControl(this.routeNotice);
    this.routeNotice = text ? this.control("topleft", "cm-notice cm-error", text) : null;
    if (this.routeNotice) this.routeNotice.getContainer().setAttribute("role", "status");
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
    if (state.date !== this.day) this.showDay(state.date);
    this.place(state);
    visible.land = state.basemap === "none";
    Object.keys(this.groups).forEach(function (id) {
      var group = self.groups[id];
      if (visible[id] && !map.hasLayer(group)) group.addTo(map);
      if (!visible[id] && map.hasLayer(group)) map.removeLayer(group);
    });
    if (state.basemap !== this.basemap) this.tileStatus(false);
    this.basemap = state.basemap;
    Object.keys(this.tiles).forEach(function (name) {
      var tiles = self.tiles[name];
      if (name === state.basemap && !map.hasLayer(tiles)) tiles.addTo(map).bringToBack();
      if (name !== state.basemap && map.hasLayer(tiles)) map.removeLayer(tiles);
    });
    map.getContainer().style.background = state.basemap === "none" ? this.data.styles.sea : "";
    this.highlight(state.selection);
    this.showRoute(state.route);
    this.dateBox.getContainer().textContent = (state.today ? "Today, " : "As on ") + state.dateLabel;
    this.drawLegend(state);
    this.setView(state);
    this.writeLink();
    this.updateLabels(state);
  };

  // Names on the map: one label per corridor, near the middle of its longest part drawn on the
  // view's date, and one per place, beside its point. Each is a non-interactive marker in a pane
  // of its own (never a Tab stop: the map is one), its text set as textContent. Placed by
  // placeLabels() after every move and zoom.
  CorridorsMap.prototype.buildLabels = function () {
    var map = this.map;
    var pane = this.panes.labels;
    var group = (this.labelLayer = L.layerGroup().addTo(map));
    var labels = (this.labels = []);
    var byKey = {};
    var origin = function (latlng) {
      return map.project(latlng, 0); // in pixels at zoom 0: times 2^zoom at any other
    };
    this.features.forEach(function (f) {
      var feature = f.feature;
      var point = Boolean(feature.point);
      var key = point ? "place:" + feature.id : "corridor:" + feature.corridor;
      var label = byKey[key];
      if (!label) {
        var text = el("span", null, feature.tip.title);
        text.dataset.layer = feature.layer;
        text.dataset.corridor = feature.corridor;
        var marker = L.marker([0, 0], {
          icon: L.divIcon({ className: "cm-label cm-label-hidden" + (point ? " cm-label-place" : ""), html: text, iconSize: null }),
          pane: pane,
          interactive: false,
          keyboard: false,
        });
        label = byKey[key] = { corridor: feature.corridor, layer: feature.layer, point: point, text: text, marker: marker, parts: [], size: null, shown: false, at: null };
        group.addLayer(marker);
        labels.push(label);
      }
      var lines = point ? [[L.latLng(feature.point)]] : f.shape.getLatLngs();
      if (!point && L.LineUtil.isFlat(lines)) lines = [lines];
      lines.forEach(function (latlngs) {
        // Lengths along the part, so its labels start from the middle of its length.
        var along = [0];
        var xy = latlngs.map(origin);
        for (var i = 1; i < xy.length; i++) along.push(along[i - 1] + xy[i].distanceTo(xy[i - 1]));
        label.parts.push({ drawn: f, latlngs: latlngs, along: along, length: along[along.length - 1] });
      });
    });
    labels.forEach(function (label) {
      label.parts.sort(function (a, b) {
        return b.length - a.length;
      });
    });
  };

  // The labels follow the layers shown, the date and the selection; placed again only when one
  // of those changed (moves and zooms place them from the map's own events).
  CorridorsMap.prototype.updateLabels = function (state) {
    var legend = this.legend.getContainer();
    var key = [state.layers.join(","), this.day, state.selection.corridors.join(","),
      legend.offsetWidth, legend.offsetHeight].join("|");
    if (key === this.labelKey) return;
    this.labelKey = key;
    this.placeLabels();
  };

  // Greedy: the selected corridor's label first (always shown if its line is in view), then the
  // other corridors', then the places', each where it fits inside the map without covering a
  // label already placed or one of the map's controls. A corridor's label needs its line to be
  // at least as long as the label on screen: from that zoom up it fits. Places are named from
  // the zoom the data gives (registry.PLACE_LABEL_ZOOM).
  CorridorsMap.prototype.placeLabels = function () {
    if (!this.labels || !this.state) return;
    var started = performance.now();
    var map = this.map;
    var size = map.getSize();
    var scale = Math.pow(2, map.getZoom());
    var state = this.state;
    var shown = {};
    state.layers.forEach(function (id) {
      shown[id] = true;
    });
    var selected = {};
    state.selection.corridors.forEach(function (id) {
      selected[id] = true;
    });
    var frame = map.getContainer().getBoundingClientRect();
    var taken = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
      var box = control.getBoundingClientRect();
      if (box.width && box.height) {
        taken.push({ left: box.left - frame.left, top: box.top - frame.top, right: box.right - frame.left, bottom: box.bottom - frame.top });
      }
    });
    var places = map.getZoom() >= this.data.styles.placeLabelZoom;
    var eligible = this.labels.filter(function (label) {
      if (label.point && !places && !selected[label.corridor]) return false;
      return (shown[label.layer] || selected[label.corridor]) && label.parts.some(function (part) {
        return part.drawn.state;
      });
    });
    // Measured on every placement, all at once (one layout): a hidden label keeps its box, and
    // one measured before the stylesheet applied would otherwise keep a wrong size.
    eligible.forEach(function (label) {
      var size = { x: label.text.offsetWidth, y: label.text.offsetHeight };
      label.size = size.x ? size : null; // null: the frame is not laid out yet
    });
    var rank = function (label) {
      return selected[label.corridor] ? 0 : label.point ? 2 : 1;
    };
    eligible.sort(function (a, b) {
      return rank(a) - rank(b);
    });
    var placed = [];
    eligible.forEach(function (label) {
      if (!label.size) return;
      var chosen = Boolean(selected[label.corridor]);
      var shortest = label.point || chosen ? 0 : label.size.x / scale; // in pixels at zoom 0
      // The selected corridor's name is shown even where it can only go under a control.
      var spot = fitLabel(label, map, size, shortest, taken) || (chosen ? fitLabel(label, map, size, 0, []) : null);
      if (!spot) return;
      placed.push(label);
      taken.push(spot.box);
      if (!label.at || !label.at.equals(spot.latlng)) label.marker.setLatLng(spot.latlng);
      label.at = spot.latlng;
      var shift = spot.shift[0] + "px," + spot.shift[1] + "px";
      if (shift !== label.shift) label.text.style.transform = "translate(" + shift + ")";
      label.shift = shift;
    });
    this.labels.forEach(function (label) {
      var on = placed.indexOf(label) >= 0;
      if (on === label.shown) return;
      label.shown = on;
      label.marker.getElement().classList.toggle("cm-label-hidden", !on);
    });
    this.labelCost = performance.now() - started;
  };

  // Each country in the bloc layers it belongs to on the view's date; a disputed area in those
  // of its owner under the view's border view on that date.
  CorridorsMap.prototype.place = function (state) {
    var self = this;
    this.placed.forEach(function (p) {
      self.placeOne(p, state.boundaries);
    });
  };

  CorridorsMap.prototype.placeOne = function (p, boundaries) {
    var holder = p.owners ? valueOn(p.owners[boundaries], this.day) : p.id;
    var member = Boolean(holder && this.members[p.bloc][holder]);
    if (member && !p.group.hasLayer(p.shape)) p.group.addLayer(p.shape);
    if (!member && p.group.hasLayer(p.shape)) p.group.removeLayer(p.shape);
  };

  CorridorsMap.prototype.highlight = function (selection) {
    var colour = this.data.styles.selection;
    var halo = this.halo;
    var self = this;
    halo.clearLayers();
    this.haloCorridors = [];
    // Countries are marked by a bold outline, corridors by a yellow band: two channels, so a
    // selected corridor's band stays visible across a country a paragraph names.
    var options = {
      pane: "cm-halo",
      className: "layer-selection",
      color: "#000000",
      weight: 3.5,
      fill: false,
      interactive: false,
    };
    selection.countries.forEach(function (id) {
      var shape =
        self.detailShown && self.detailShapes[id]
          ? self.detailShapes[id]
          : { fill: self.countryShapes[id] || [], outline: null };
      // An outline only: from tiles, its runs along the coast and borders, not the tiles' edges.
      if (shape.outline) halo.addLayer(L.polyline(shape.outline, options));
      else if (shape.fill.length) halo.addLayer(L.polygon(shape.fill, options));
    });
    selection.corridors.forEach(function (id) {
      (self.byCorridor[id] || []).forEach(function (f) {
        if (!f.state) return; // not drawn on this date
        var shape = f.shape;
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
    this.dim(selection);
  };

  // While corridors are selected the others fade, so the selection reads at a glance.
  CorridorsMap.prototype.dim = function (selection) {
    var chosen = {};
    selection.corridors.forEach(function (id) {
      chosen[id] = true;
    });
    var any = selection.corridors.length > 0;
    this.features.forEach(function (f) {
      var faded = any && !chosen[f.feature.corridor];
      [f.casing, f.shape].forEach(function (layer) {
        var path = layer.getElement && layer.getElement();
        if (path) path.classList.toggle("cm-dimmed", faded);
      });
    });
  };

  // The view moves only when the reader asks: on first load (the link's centre and zoom, else
  // its selection, else all corridors) and when a new corridor or excerpt is selected. Toggling
  // a layer or changing the basemap leaves the map where the reader left it.
  CorridorsMap.prototype.setView = function (state) {
    var key = state.selection.key;
    var size = this.map.getSize();
    if (!this.fitted && (!size.x || !size.y)) {
      // A fit into no room is the highest zoom: fitted once the frame has its size.
      var self = this;
      this.map.off("resize", this.fitOnceSized, this);
      this.fitOnceSized = function () {
        self.setView(self.state);
      };
      this.map.once("resize", this.fitOnceSized, this);
      return;
    }
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
      } else if (state.route) {
        this.routeFit = true; // when its lines arrive
        this.map.fitBounds(this.data.bounds, this.fitOptions(false));
      } else if (this.halo.getLayers().length) {
        this.fitSelection(false);
      } else {
        this.map.fitBounds(this.data.bounds, this.fitOptions(false));
      }
      return;
    }
    if (key !== this.lastKey) {
      this.lastKey = key;
      // A country is chosen by a click on it, where the reader is looking: the map stays.
      var clicked = key.indexOf("country:") === 0;
      if (this.halo.getLayers().length && !clicked) this.fitSelection(true);
      if (key.indexOf("excerpt:") === 0) this.bringIntoView();
    }
  };

  // Show on map, pressed beside a map scrolled out of sight (on a phone the article is below
  // it): the page scrolls the map back into view, so the reader sees what was marked.
  CorridorsMap.prototype.bringIntoView = function () {
    var frame = window.frameElement; // the component's frame, on the page's own origin
    if (!frame) return;
    var box = frame.getBoundingClientRect();
    var height = frame.ownerDocument.defaultView.innerHeight;
    var visible = Math.min(box.bottom, height) - Math.max(box.top, 0);
    if (visible < box.height / 2) frame.scrollIntoView({ block: "start", behavior: "smooth" });
  };

  // An excerpt that names corridors and countries is about the corridors: fit those, and let
  // the highlighted countries show around them.
  CorridorsMap.prototype.fitSelection = function (animate) {
    // Countries by their 1:50m shapes: the whole country, whichever detailed tiles are loaded.
    var self = this;
    var bounds = L.latLngBounds([]);
    if (this.haloCorridors.length) {
      bounds = L.featureGroup(this.haloCorridors).getBounds();
    } else {
      this.state.selection.countries.forEach(function (id) {
        var latlngs = self.countryShapes[id];
        if (latlngs && latlngs.length) bounds.extend(L.polygon(latlngs).getBounds());
      });
    }
    if (!bounds.isValid()) return;
    var size = bounds.getNorthEast().distanceTo(bounds.getSouthWest());
    if (size < 1000) {
      this.map.setView(bounds.getCenter(), 7, { animate: animate });
    } else {
      this.map.fitBounds(bounds, L.extend(this.fitOptions(animate, bounds), { maxZoom: 8 }));
    }
  };

  // How to fit `bounds` (the corridors' whole extent when not given) below the share box and
  // clear of an open legend in the bottom-right corner: beside it or above it, whichever draws
  // them larger. The whole extent is fitted under the legend instead: beside it, Eurasia would
  // be drawn a zoom level smaller, at a third of the map's width; under it lies the Pacific.
  CorridorsMap.prototype.fitOptions = function (animate, bounds) {
    var legend = this.legend.getContainer();
    var share = this.share.control.getContainer();
    var topLeft = L.point(50, share.offsetHeight + 20);
    var options = { paddingTopLeft: topLeft, paddingBottomRight: L.point(20, 30), animate: animate };
    if (!bounds || legend.hidden || legend.offsetHeight <= 40) return options; // folded: one line
    var map = this.map;
    var beside = L.point(legend.offsetWidth + 20, 30);
    var above = L.point(20, legend.offsetHeight + 30);
    var zoom = function (corner) {
      return map.getBoundsZoom(bounds, false, topLeft.add(corner));
    };
    options.paddingBottomRight = zoom(above) > zoom(beside) ? above : beside;
    return options;
  };

  CorridorsMap.prototype.drawLegend = function (state) {
    var self = this;
    var data = this.data;
    var root = this.legend.getContainer();
    if (!this.legendBody) {
      var details = el("details");
      this.legendFolds = details; // open or folded once its first content is known (below)
      details.addEventListener("toggle", function () {
        self.placeLabels(); // no label under the legend, open or folded
      });
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
    root.hidden = !shown.length && !state.selection.key && !state.route;
    var list = el("ul");
    var statuses = {};
    var notYet = {}; // corridor name -> true: in a shown layer, not drawn on this date
    var undated = {}; // corridor name -> true: drawn, but its first status has no date
    var features = this.features;
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
      features.forEach(function (f) {
        if (f.feature.layer !== layer.id) return;
        if (!f.state) notYet[f.feature.tip.title] = true;
        else if (!f.feature.point) statuses[f.state.status] = true;
        var opening = f.feature.states[0];
        if (f.state && opening[0] === null && opening[2] === f.state) undated[f.feature.tip.title] = true;
      });
    });
    this.legendOverlaps(state, list);
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
    var missing = Object.keys(notYet).sort();
    if (missing.length) {
      box.appendChild(el("p", "cm-legend-note", "Not yet on the map (their first dated status is later): " + missing.join(", ")));
    }
    var sinceWhen = Object.keys(undated).sort();
    if (!state.today && sinceWhen.length) {
      box.appendChild(el("p", "cm-legend-note cm-legend-undated", "Drawn on any date, the start of their status not being in the data: " + sinceWhen.join(", ")));
    }
    if (state.route) {
      var routes = el("ul", "cm-legend-routes");
      routes.appendChild(el("li", "cm-legend-title", state.route.legend.title));
      state.route.legend.routes.forEach(function (r) {
        var item = el("li");
        item.appendChild(swatch("line", { color: r.colour, weight: 4 }));
        item.appendChild(el("span", null, r.label));
        routes.appendChild(item);
      });
      box.appendChild(routes);
    }
    if (state.selection.key) {
      var selected = el("ul");
      if (state.selection.corridors.length) {
        var item = el("li");
        item.appendChild(swatch("line", { color: data.styles.selection, weight: 8 }));
        item.appendChild(el("span", null, "Selected"));
        selected.appendChild(item);
      }
      if (state.selection.countries.length) {
        var countries = el("li");
        countries.appendChild(swatch("fill", { color: "#000000", weight: 3.5, fillColor: "none", fillOpacity: 0 }));
        var one = state.selection.key.indexOf("country:") === 0;
        countries.appendChild(el("span", null, one ? "Selected country" : "Countries the paragraph names"));
        selected.appendChild(countries);
      }
      box.appendChild(selected);
    }
    if (this.legendFolds) {
      // Open where there is room for it, leaving most of the map free: measured open, it must
      // take at most half the map's height and 45% of its width. From then on, the reader's.
      // Measured once the stylesheets have loaded: unstyled, it is as wide as its longest line.
      var folds = this.legendFolds;
      var map = this.map;
      this.legendFolds = null;
      var decide = function () {
        var size = map.getSize();
        folds.open = true;
        folds.open = root.offsetHeight <= 0.5 * size.y && root.offsetWidth <= 0.45 * size.x;
      };
      if (document.readyState === "complete") decide();
      else window.addEventListener("load", decide, { once: true });
    }
  };

  // Countries in two blocs shown at once are drawn in both tints, one over the other, and the
  // upper bloc's outline: an entry of their own, with the stacked swatch, when any are drawn on
  // the view's date. Its words say when every member of the upper bloc is in the lower.
  CorridorsMap.prototype.legendOverlaps = function (state, list) {
    var self = this;
    var styles = {};
    this.data.layers.forEach(function (layer) {
      styles[layer.id] = layer.style;
    });
    (this.data.overlaps || []).forEach(function (pair) {
      if (state.layers.indexOf(pair.lower) < 0 || state.layers.indexOf(pair.upper) < 0) return;
      var lower = self.members[pair.lower] || {};
      var upper = Object.keys(self.members[pair.upper] || {});
      var both = upper.filter(function (id) {
        return lower[id];
      });
      if (!both.length) return;
      var item = el("li", "cm-legend-both");
      item.appendChild(swatch("fill", [styles[pair.lower], styles[pair.upper]]));
      item.appendChild(el("span", null, both.length === upper.length ? pair.labelAll : pair.label));
      list.appendChild(item);
    });
  };

  // The page's address always holds the link to what is on screen. replaceState, never
  // pushState: panning must not fill the browser's history.
  CorridorsMap.prototype.writeLink = function () {
    if (!this.state) return;
    if (this.config.fixedLink) {
      // The briefing: a file, not the page; its link is the live view's, written when it was made.
      this.share.input.value = this.config.fixedLink;
      return;
    }
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
    valueOn: valueOn,
    membersOn: membersOn,
    init: function (map, config) {
      window.corridorsMapInstance = new CorridorsMap(map, config);
    },
    apply: function (state) {
      if (window.corridorsMapInstance) window.corridorsMapInstance.apply(state);
    },
  };
})();
