// illectro — recherche hors ligne d'une commune, d'un code postal ou d'une
// intercommunalité, sur la page nationale et les pages des départements.
//
// Le formulaire (#recherche) est caché tant que ce script n'a pas tourné : sans
// JavaScript, les tableaux des pages restent le moyen de trouver un territoire.
// L'index (assets/recherche-donnees.js, environ 1,5 Mo) n'est chargé qu'à la
// première saisie, par un élément <script> : cela marche aussi quand les pages
// sont ouvertes depuis le disque (file://), où fetch est refusé.
//
// Clavier : la saisie filtre à chaque frappe ; Entrée ouvre le premier
// résultat ; flèche bas passe aux résultats, flèches haut et bas les
// parcourent, Échap revient à la saisie. Chaque résultat est une liste de liens
// ordinaires (commune, intercommunalité, département), atteignables aussi par
// Tab.
(function () {
  "use strict";

  var MAX = 10;
  var zone = document.getElementById("recherche");
  if (!zone) {
    return;
  }
  var racine = zone.getAttribute("data-racine") || "";
  var saisie = document.getElementById("recherche-saisie");
  var etat = document.getElementById("recherche-etat");
  var liste = document.getElementById("recherche-resultats");
  var formulaire = zone.querySelector("form");
  zone.hidden = false;

  var index = null; // { communes: [...], epci: [...], departements: {...} }
  var chargement = null;

  // normaliser met un texte sous la forme comparée : minuscules, sans
  // accents, ponctuation en espaces, « st » et « ste » en toutes lettres.
  function normaliser(texte) {
    return String(texte)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .replace(/[^a-z0-9]+/g, " ")
      .trim()
      .replace(/\b(st|ste)\b/g, function (m) {
        return m === "st" ? "saint" : "sainte";
      });
  }

  function preparer(donnees) {
    donnees.communes.forEach(function (c) {
      c.cle = " " + normaliser(c[1]);
    });
    donnees.epci.forEach(function (e) {
      e.cle = " " + normaliser(e[1]);
    });
    return donnees;
  }

  function charger() {
    if (index || chargement) {
      return;
    }
    chargement = document.createElement("script");
    chargement.src = racine + "assets/recherche-donnees.js";
    chargement.onload = function () {
      if (window.illectroRecherche) {
        index = preparer(window.illectroRecherche);
        chercher();
      }
    };
    chargement.onerror = function () {
      etat.textContent = "L’index de recherche n’a pas pu être chargé.";
    };
    etat.textContent = "Chargement de l’index de recherche…";
    document.head.appendChild(chargement);
  }

  // rang : 0 si le nom commence par la saisie, 1 si un de ses mots commence
  // par elle, 2 s'il la contient ailleurs, -1 sinon.
  function rang(cle, q) {
    var i = cle.indexOf(" " + q);
    if (i === 0) {
      return 0;
    }
    if (i > 0) {
      return 1;
    }
    return cle.indexOf(q) >= 0 ? 2 : -1;
  }

  function page(dep) {
    return racine + "departements/" + dep + ".html";
  }

  function lien(texte, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = texte;
    return a;
  }

  function resultatCommune(c) {
    var li = document.createElement("li");
    li.appendChild(lien(c[1] + " (" + c[0] + ")", page(c[2]) + "#c-" + c[0]));
    if (c[4]) {
      li.appendChild(document.createTextNode(" " + c[4].split(" ").join(", ")));
    }
    var details = document.createElement("span");
    details.className = "recherche-details";
    if (c[3] >= 0) {
      var e = index.epci[c[3]];
      details.appendChild(document.createTextNode(" · "));
      details.appendChild(lien(e[1], page(c[2]) + "#e-" + e[0]));
    }
    details.appendChild(document.createTextNode(" · "));
    details.appendChild(lien(index.departements[c[2]] + " (" + c[2] + ")", page(c[2])));
    li.appendChild(details);
    return li;
  }

  function resultatEPCI(e) {
    var li = document.createElement("li");
    li.appendChild(lien(e[1], page(e[2]) + "#e-" + e[0]));
    var details = document.createElement("span");
    details.className = "recherche-details";
    details.appendChild(document.createTextNode(" · intercommunalité · "));
    details.appendChild(lien(index.departements[e[2]] + " (" + e[2] + ")", page(e[2])));
    li.appendChild(details);
    return li;
  }

  function chercher() {
    var brut = saisie.value.trim();
    liste.textContent = "";
    if (brut === "") {
      etat.textContent = "";
      return;
    }
    if (!index) {
      charger();
      return;
    }
    var trouves = [];
    if (/^\d[\dAaBb]*$/.test(brut)) {
      // un code postal (5 chiffres) ou un code de commune, ou leur début
      var code = brut.toUpperCase();
      index.communes.forEach(function (c) {
        var postal = (" " + c[4]).indexOf(" " + code) >= 0;
        if (postal || c[0].indexOf(code) === 0) {
          trouves.push({ r: postal ? 0 : 1, pop: c[5], nom: c[1], commune: c });
        }
      });
    } else {
      var q = normaliser(brut);
      if (q === "") {
        etat.textContent = "Saisissez un nom ou un code postal.";
        return;
      }
      index.communes.forEach(function (c) {
        var r = rang(c.cle, q);
        if (r >= 0) {
          trouves.push({ r: r, pop: c[5], nom: c[1], commune: c });
        }
      });
      index.epci.forEach(function (e) {
        var r = rang(e.cle, q);
        if (r >= 0) {
          trouves.push({ r: r, pop: -1, nom: e[1], epci: e });
        }
      });
    }
    trouves.sort(function (a, b) {
      return a.r - b.r || b.pop - a.pop || a.nom.localeCompare(b.nom, "fr");
    });
    trouves.slice(0, MAX).forEach(function (t) {
      liste.appendChild(t.commune ? resultatCommune(t.commune) : resultatEPCI(t.epci));
    });
    if (trouves.length === 0) {
      etat.textContent = "Aucun résultat.";
    } else if (trouves.length > MAX) {
      etat.textContent = trouves.length + " résultats ; les " + MAX + " premiers sont affichés, précisez la recherche.";
    } else {
      etat.textContent = trouves.length === 1 ? "1 résultat." : trouves.length + " résultats.";
    }
  }

  function premiersLiens() {
    return Array.prototype.map.call(liste.children, function (li) {
      return li.querySelector("a");
    });
  }

  saisie.addEventListener("focus", charger);
  saisie.addEventListener("input", chercher);
  saisie.addEventListener("keydown", function (ev) {
    var liens = premiersLiens();
    if (ev.key === "ArrowDown" && liens.length > 0) {
      ev.preventDefault();
      liens[0].focus();
    } else if (ev.key === "Escape") {
      saisie.value = "";
      chercher();
    }
  });
  formulaire.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var liens = premiersLiens();
    if (liens.length > 0) {
      window.location.href = liens[0].href;
    }
  });
  liste.addEventListener("keydown", function (ev) {
    var liens = premiersLiens();
    var li = ev.target.closest("li");
    var i = Array.prototype.indexOf.call(liste.children, li);
    if (ev.key === "ArrowDown" && i < liens.length - 1) {
      ev.preventDefault();
      liens[i + 1].focus();
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      (i > 0 ? liens[i - 1] : saisie).focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      saisie.focus();
    }
  });
})();
