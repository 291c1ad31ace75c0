// The ECharts of illectro's pages: its core, and only the charts, components
// and features that the pages use (go-echarts' inline scripts, carte.js,
// departement.js) or are about to use (zoom and pan, an inset, proportional
// symbols, labels that hide when they overlap, patterns). build.sh bundles
// this file into ../echarts.min.js, which sets the global `echarts` that
// those scripts call.
//
// Register a module here before a page uses it: ECharts ignores, without an
// error, the option of a component that is not registered, and throws
// "Unknown series" for a series type that is not.
import { use } from "echarts/core";
import { MapChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  GeoComponent,
  GraphicComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { LabelLayout } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";
// The toolbox with its one button the pages show, saveAsImage.
// ToolboxComponent also registers the dataZoom, restore, dataView and
// magicType buttons, which bring the dataZoom component and the cartesian
// axes with them: 36 kB the pages never run.
import ToolboxModel from "echarts/lib/component/toolbox/ToolboxModel.js";
import ToolboxView from "echarts/lib/component/toolbox/ToolboxView.js";
import { registerFeature } from "echarts/lib/component/toolbox/featureManager.js";
import SaveAsImage from "echarts/lib/component/toolbox/feature/SaveAsImage.js";

function SaveAsImageToolbox(registers) {
  registers.registerComponentModel(ToolboxModel);
  registers.registerComponentView(ToolboxView);
  registerFeature("saveAsImage", SaveAsImage);
}

use([
  // series: the national choropleth (map) and points on a map (scatter on a
  // geo coordinate system: venues, communes, EPCI, proportional symbols)
  MapChart,
  ScatterChart,
  // components
  AriaComponent, // aria.label, aria.decal; itemStyle.decal patterns
  GeoComponent, // the points' coordinate system, insets, roam (zoom and pan)
  GraphicComponent,
  LegendComponent, // plain and scrolling legends
  SaveAsImageToolbox, // "Enregistrer la carte en image"
  TitleComponent,
  TooltipComponent,
  VisualMapComponent, // continuous (the national scale) and piecewise
  // features and renderer
  LabelLayout, // labelLayout: {hideOverlap: true}
  CanvasRenderer, // go-echarts' echarts.init(…, {renderer: "canvas"})
]);

// The global `echarts`: what go-echarts' scripts, carte.js, departement.js,
// the generated map scripts and the browser test call.
export {
  dispose,
  getInstanceByDom,
  getInstanceById,
  getMap,
  init,
  registerMap,
  version,
} from "echarts/core";
