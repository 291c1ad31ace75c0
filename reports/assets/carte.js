// illectro — interactivité de la carte : choix de l'indicateur, infobulles en français.
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
  if (!element || !source || !choix || typeof echarts === "undefined") {
    return;
  }
  var carte = echarts.getInstanceByDom(element);
  if (!carte) {
    return;
  }

  var donnees = JSON.parse(source.textContent);
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
    var d = p.data || {};
    var nom = d.nom ? d.nom + " (" + p.name + ")" : p.name;
    return (
      "<strong>" + echapper(nom) + "</strong><br>" +
      echapper(courant.libelle) + "&#160;: " +
      echapper(d.texte || "non disponible")
    );
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
        text: [indicateur.texteMax, indicateur.texteMin]
      },
      series: [{ name: indicateur.libelle, data: indicateur.donnees }]
    });
    if (libelle) {
      libelle.textContent = indicateur.libelle;
    }
  }

  choix.addEventListener("change", function () {
    afficher(choix.value);
  });
  window.addEventListener("resize", function () {
    carte.resize();
  });
  // Le navigateur peut restaurer une autre option que celle par défaut.
  afficher(choix.value);
})();
