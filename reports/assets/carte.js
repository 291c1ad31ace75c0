// illectro — interactivité de la carte : choix de l'indicateur (la carte, les
// dix valeurs les plus élevées et l'ordre du tableau le suivent), zoom,
// encart de Paris et de la petite couronne, cercles proportionnels pour les
// effectifs, infobulles en français, clic vers la page du département, lieux
// de médiation à la demande.
//
// La carte est créée par le script en ligne de go-echarts : deux composants
// « geo » (la France, que l'on peut zoomer et déplacer, et l'encart, fixe), une
// série « map » sur chacun, l'échelle en classes de l'indicateur par défaut.
// Ce fichier, chargé avec « defer », lit les données de la page (élément
// #donnees-carte, JSON) et met à jour séries, échelle et légende quand on
// change d'indicateur. Cercles et lieux sont posés sur les mêmes composants
// « geo » : ils suivent le zoom. Les textes affichés sont déjà formatés côté Go.
(function () {
  "use strict";

  var element = document.getElementById("carte_departements");
  var source = document.getElementById("donnees-carte");
  var choix = document.getElementById("indicateur");
  var libelle = document.getElementById("libelle-indicateur");
  var caseLieux = document.getElementById("afficher-lieux");
  var lecture = document.getElementById("lecture-echelle");
  var provenance = document.getElementById("provenance-indicateur");
  if (!element || !source || !choix || typeof echarts === "undefined") {
    return;
  }
  var carte = echarts.getInstanceByDom(element);
  if (!carte) {
    return;
  }

  var donnees = JSON.parse(source.textContent);
  var couleurs = donnees.couleurs;
  var avecEncart = donnees.encart.length > 0;
  var dansEncart = {};
  donnees.encart.forEach(function (code) {
    dansEncart[code] = true;
  });
  // Les lieux arrivent codés en différences de millièmes de degré, par
  // séries de trois valeurs : longitude et latitude du premier lieu, puis deux
  // caractères par lieu (voir island.Lieux dans reports/chart.go) ; on les
  // remet en [longitude, latitude].
  var points = [];
  for (var k = 0; k + 2 < donnees.lieux.length; k += 3) {
    var x = donnees.lieux[k], y = donnees.lieux[k + 1], suite = donnees.lieux[k + 2];
    for (var i = 0; i + 1 < suite.length; i += 2) {
      var dx = suite.charCodeAt(i) - 64, dy = suite.charCodeAt(i + 1) - 64;
      x += (dx >> 1) ^ -(dx & 1);
      y += (dy >> 1) ^ -(dy & 1);
      points.push([x / 1000, y / 1000]);
    }
  }
  // Ceux de l'encart : dans le rectangle de ses départements.
  var b = donnees.bornesEncart;
  var pointsEncart = !b ? [] : points.filter(function (p) {
    return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
  });
  var parId = {};
  donnees.indicateurs.forEach(function (indicateur) {
    parId[indicateur.id] = indicateur;
  });
  var courant = donnees.indicateurs[0];
  var lieuxVisibles = false;

  var entites = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function echapper(texte) {
    return String(texte).replace(/[&<>"']/g, function (c) {
      return entites[c];
    });
  }

  // Le contenu de l'infobulle est du HTML : tout texte venant des données est échappé.
  function infobulle(p) {
    if (p.seriesId === "lieux" || p.seriesId === "lieux-encart") {
      return "Lieu de médiation numérique";
    }
    var d = p.data || {};
    var n = donnees.noms[p.name];
    var nom = n ? n + " (" + p.name + ")" : p.name;
    return (
      "<strong>" + echapper(nom) + "</strong><br>" +
      echapper(courant.libelle) + "&#160;: " +
      echapper(d.texte || "non disponible")
    );
  }

  // Les valeurs et textes d'un indicateur arrivent en listes, dans l'ordre
  // de donnees.codes : la série en refait un élément par département.
  function elements(indicateur) {
    return donnees.codes.map(function (code, i) {
      var d = { name: code, texte: indicateur.textes[i] };
      if (indicateur.valeurs[i] !== null && indicateur.valeurs[i] !== undefined) {
        d.value = indicateur.valeurs[i];
      }
      return d;
    });
  }

  // Un département sans valeur (donnée absente ou secret statistique) est
  // gris et hachuré : il se distingue de toute couleur de l'échelle.
  var hachures = { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: "rgba(30, 30, 30, 0.45)" };
  function hachurer(d) {
    if (typeof d.value === "number") {
      return d;
    }
    return { name: d.name, texte: d.texte, itemStyle: { decal: hachures } };
  }

  // Diamètre du cercle d'une valeur : sa surface est proportionnelle à la
  // valeur, le cercle de référence mesure donnees.diametreReference pixels.
  function diametre(v, reference) {
    return donnees.diametreReference * Math.sqrt(Math.abs(v) / reference);
  }

  // Les cercles d'un effectif, les plus grands dessous : rouges et pleins
  // au-dessus de 0 pour un écart, bleus et vides en dessous.
  function cercles(indicateur, id, geoIndex, garder) {
    var items = [];
    elements(indicateur).forEach(function (d) {
      var c = donnees.centres[d.name];
      if (typeof d.value !== "number" || d.value === 0 || !c || !garder(d.name)) {
        return;
      }
      var style = { color: couleurs.cercle, opacity: 0.85, borderColor: "#ffffff", borderWidth: 1 };
      if (indicateur.signe) {
        style = d.value > 0 ?
          { color: couleurs.deficit, opacity: 0.85, borderColor: "#ffffff", borderWidth: 1 } :
          { color: "rgba(255, 255, 255, 0.5)", borderColor: couleurs.surplus, borderWidth: 2 };
      }
      items.push({ name: d.name, texte: d.texte, value: [c[0], c[1], d.value],
        symbolSize: diametre(d.value, indicateur.reference), itemStyle: style });
    });
    items.sort(function (a, b) {
      return Math.abs(b.value[2]) - Math.abs(a.value[2]);
    });
    return { id: id, type: "scatter", coordinateSystem: "geo", geoIndex: geoIndex, data: items, z: 3,
      emphasis: { itemStyle: { borderColor: "#1e1e1e", borderWidth: 2 } } };
  }

  function serieLieux(id, geoIndex, liste) {
    return { id: id, name: "Lieux de médiation numérique", type: "scatter", coordinateSystem: "geo",
      geoIndex: geoIndex, symbolSize: 3, itemStyle: { color: "#b34700" }, silent: false,
      data: lieuxVisibles ? liste : [], z: 4 };
  }

  // La légende des cercles, dessinée dans la carte (elle suit l'image
  // enregistrée) : deux cercles emboîtés, la référence et son quart.
  function legendeCercles(indicateur) {
    var visible = !!indicateur.symboles;
    var r = donnees.diametreReference / 2;
    var cercle = { fill: "none", stroke: "#1e1e1e", lineWidth: 1 };
    var texte = { fill: "#1e1e1e", font: "13px sans-serif" };
    var g = donnees.gaucheLegende;
    return [
      { type: "text", id: "legende-titre", left: g, bottom: 16 + 2 * r + 24, invisible: !visible,
        style: Object.assign({ text: indicateur.symboles ? "Surface proportionnelle à la valeur" : "" }, texte) },
      { type: "circle", id: "legende-grand", left: g, bottom: 16, invisible: !visible, shape: { r: r }, style: cercle },
      { type: "circle", id: "legende-petit", left: g + r / 2, bottom: 16, invisible: !visible, shape: { r: r / 2 }, style: cercle },
      { type: "text", id: "legende-texte-grand", left: g + 2 * r + 8, bottom: 16 + 2 * r - 8, invisible: !visible,
        style: Object.assign({ text: indicateur.texteReference || "" }, texte) },
      { type: "text", id: "legende-texte-petit", left: g + 2 * r + 8, bottom: 16 + r / 2, invisible: !visible,
        style: Object.assign({ text: indicateur.texteQuart || "" }, texte) },
      { type: "text", id: "legende-signe", left: g, bottom: 16 + 2 * r + 44, invisible: !(visible && indicateur.signe),
        style: Object.assign({ text: indicateur.signe ? indicateur.texteSigne : "" }, texte) }
    ];
  }

  // L'échelle : les classes de l'indicateur, ou, pour un effectif, une
  // couleur neutre pour tout département qui a une valeur (sans légende).
  function echelle(indicateur) {
    var series = avecEncart ? [0, 1] : [0];
    if (indicateur.symboles) {
      return { id: "classes", type: "piecewise", show: false, seriesIndex: series,
        pieces: [{ gte: -1e15, lte: 1e15, color: couleurs.neutre }] };
    }
    return { id: "classes", type: "piecewise", show: true, seriesIndex: series, pieces: indicateur.classes,
      selectedMode: false, left: donnees.gaucheLegende, bottom: 10, orient: "vertical", itemGap: 6,
      textStyle: { color: "#1e1e1e", fontSize: 14 } };
  }

  function dessiner() {
    var indicateur = courant;
    var zones = elements(indicateur).map(hachurer);
    var series = [{ id: "carte", type: "map", geoIndex: 0, name: indicateur.libelle, selectedMode: false, data: zones }];
    if (avecEncart) {
      series.push({ id: "carte-encart", type: "map", geoIndex: 1, name: indicateur.libelle, selectedMode: false, data: zones });
    }
    if (indicateur.symboles) {
      series.push(cercles(indicateur, "cercles", 0, function () { return true; }));
      if (avecEncart) {
        series.push(cercles(indicateur, "cercles-encart", 1, function (code) { return dansEncart[code]; }));
      }
    }
    series.push(serieLieux("lieux", 0, points));
    if (avecEncart) {
      series.push(serieLieux("lieux-encart", 1, pointsEncart));
    }
    carte.setOption({
      tooltip: { formatter: infobulle },
      visualMap: [echelle(indicateur)],
      series: series,
      graphic: [{ elements: legendeCercles(indicateur) }]
    }, { replaceMerge: ["series", "visualMap"] });
  }

  function afficher(id) {
    var indicateur = parId[id];
    if (!indicateur) {
      return;
    }
    courant = indicateur;
    dessiner();
    if (libelle) {
      libelle.textContent = indicateur.libelle;
    }
    if (lecture) {
      lecture.textContent = indicateur.lecture;
    }
    if (provenance) {
      provenance.textContent = indicateur.provenance;
    }
    Array.prototype.forEach.call(document.querySelectorAll("ol.dix"), function (liste) {
      liste.hidden = liste.getAttribute("data-indicateur") !== id;
    });
  }

  // Le tableau suit l'indicateur choisi : trié du plus élevé au plus bas
  // (tableau.js écoute l'événement).
  function trierTableau(id) {
    var titre = document.querySelector('#classement th[data-indicateur="' + id + '"]');
    if (titre) {
      titre.dispatchEvent(new CustomEvent("illectro:trier", { bubbles: true, detail: { decroissant: true } }));
    }
  }

  // Un clic sur un département, sur l'encart ou sur un cercle ouvre sa page
  // (le tableau y mène aussi, au clavier).
  carte.on("click", function (p) {
    var zone = p.seriesType === "map" || p.seriesId === "cercles" || p.seriesId === "cercles-encart";
    if (zone && p.name && donnees.noms[p.name]) {
      window.location.href = "departements/" + encodeURIComponent(p.name) + ".html";
    }
  });

  // Zoom : molette, pincement et glisser sur la carte (composant « geo »
  // france), ou les boutons sous la carte, utilisables au clavier.
  function zoomer(facteur) {
    var geo = carte.getOption().geo[0];
    var zoom = Math.min(12, Math.max(1, (geo.zoom || 1) * facteur));
    carte.setOption({ geo: [{ id: "france", zoom: zoom }] });
  }
  function boutonZoom(id, action) {
    var bouton = document.getElementById(id);
    if (bouton) {
      bouton.addEventListener("click", action);
    }
  }
  boutonZoom("zoom-avant", function () { zoomer(1.5); });
  boutonZoom("zoom-arriere", function () { zoomer(1 / 1.5); });
  boutonZoom("zoom-ensemble", function () {
    carte.setOption({ geo: [{ id: "france", zoom: 1, center: null }] });
  });

  choix.addEventListener("change", function () {
    afficher(choix.value);
    trierTableau(choix.value);
  });
  if (caseLieux) {
    caseLieux.addEventListener("change", function () {
      lieuxVisibles = caseLieux.checked;
      dessiner();
    });
    lieuxVisibles = caseLieux.checked;
  }
  window.addEventListener("resize", function () {
    carte.resize();
  });
  // Le navigateur peut restaurer une autre option que celle par défaut.
  afficher(choix.value);
})();
