// illectro — interactivité de la carte : choix de l'indicateur (la carte, les
// dix valeurs les plus élevées et l'ordre du tableau le suivent), infobulles en
// français, clic vers la page du département, lieux de médiation à la demande.
//
// La carte est créée par le script en ligne de go-echarts (indicateur par défaut).
// Ce fichier, chargé avec « defer », lit les données de la page (élément
// #donnees-carte, JSON) et met à jour la série et l'échelle de couleurs quand
// on change d'indicateur. Les textes affichés sont déjà formatés côté Go.
(function () {
  "use strict";

  var element = document.getElementById("carte_departements");
  var source = document.getElementById("donnees-carte");
  var choix = document.getElementById("indicateur");
  var libelle = document.getElementById("libelle-indicateur");
  var caseLieux = document.getElementById("afficher-lieux");
  var lecture = document.getElementById("lecture-echelle");
  if (!element || !source || !choix || typeof echarts === "undefined") {
    return;
  }
  var carte = echarts.getInstanceByDom(element);
  if (!carte) {
    return;
  }

  var donnees = JSON.parse(source.textContent);
  // Les lieux arrivent codés en différences de millièmes de degré (voir
  // island.Lieux dans reports/chart.go) : on les remet en [longitude, latitude].
  var points = [];
  for (var i = 0, x = 0, y = 0; i + 1 < donnees.lieux.length; i += 2) {
    x += donnees.lieux[i];
    y += donnees.lieux[i + 1];
    points.push([x / 1000, y / 1000]);
  }
  var parId = {};
  donnees.indicateurs.forEach(function (indicateur) {
    parId[indicateur.id] = indicateur;
  });
  var courant = donnees.indicateurs[0];

  var entites = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function echapper(texte) {
    return String(texte).replace(/[&<>"']/g, function (c) {
      return entites[c];
    });
  }

  // Le contenu de l'infobulle est du HTML : tout texte venant des données est échappé.
  function infobulle(p) {
    if (p.seriesType === "scatter") {
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

  // Un département sans valeur (donnée absente ou secret statistique) est
  // gris et hachuré : il se distingue de toute couleur de l'échelle.
  var hachures = { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: "rgba(30, 30, 30, 0.45)" };
  function hachurer(d) {
    if (d.value !== undefined && d.value !== null) {
      return d;
    }
    return { name: d.name, texte: d.texte, itemStyle: { decal: hachures } };
  }

  function afficher(id) {
    var indicateur = parId[id];
    if (!indicateur) {
      return;
    }
    courant = indicateur;
    carte.setOption({
      tooltip: { formatter: infobulle },
      visualMap: {
        min: indicateur.min,
        max: indicateur.max,
        text: [indicateur.texteMax, indicateur.texteMin],
        inRange: { color: indicateur.couleurs }
      },
      series: [{ name: indicateur.libelle, data: indicateur.donnees.map(hachurer) }]
    });
    if (libelle) {
      libelle.textContent = indicateur.libelle;
    }
    if (lecture) {
      lecture.textContent = indicateur.lecture;
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

  // Un clic sur un département ouvre sa page (le tableau y mène aussi, au clavier).
  carte.on("click", function (p) {
    if (p.seriesType === "map" && p.name && donnees.noms[p.name]) {
      window.location.href = "departements/" + encodeURIComponent(p.name) + ".html";
    }
  });

  // Les lieux : une série de points sur un composant « geo » superposé à la
  // carte, de même contour et de même cadrage, transparent et inerte.
  function lieux(visibles) {
    var option = carte.getOption();
    var serie = option.series[0];
    carte.setOption({
      visualMap: { seriesIndex: 0 },
      geo: [{
        map: serie.map,
        silent: true,
        left: serie.left, top: serie.top, right: serie.right, bottom: serie.bottom,
        layoutCenter: serie.layoutCenter, layoutSize: serie.layoutSize,
        aspectScale: serie.aspectScale, zoom: serie.zoom, center: serie.center,
        itemStyle: { areaColor: "transparent", borderWidth: 0 },
        emphasis: { disabled: true },
        z: 3
      }],
      series: [serie, {
        id: "lieux",
        name: "Lieux de médiation numérique",
        type: "scatter",
        coordinateSystem: "geo",
        geoIndex: 0,
        symbolSize: 3,
        itemStyle: { color: "#b34700" },
        data: visibles ? points : [],
        z: 4
      }]
    }, { replaceMerge: ["series", "geo"] });
  }

  choix.addEventListener("change", function () {
    afficher(choix.value);
    trierTableau(choix.value);
  });
  if (caseLieux) {
    caseLieux.addEventListener("change", function () {
      lieux(caseLieux.checked);
    });
    if (caseLieux.checked) {
      lieux(true);
    }
  }
  window.addEventListener("resize", function () {
    carte.resize();
  });
  // Le navigateur peut restaurer une autre option que celle par défaut.
  afficher(choix.value);
})();
